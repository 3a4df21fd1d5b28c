using System.Globalization;

namespace MedServe.Onnx;

/// <summary>
/// One dimension of a declared tensor shape: a fixed size (<c>dim_value</c>), a symbolic name such as
/// <c>"batch"</c> (<c>dim_param</c>), or, for <c>default</c>, unknown. Integers and strings convert
/// implicitly, so a shape can be written <c>["batch", 3, 480, 480]</c>.
/// </summary>
public readonly record struct OnnxDim
{
    private OnnxDim(long? value, string? param)
    {
        Value = value;
        Param = param;
    }

    /// <summary>The fixed size, or <c>null</c> when the dimension is symbolic or unknown.</summary>
    public long? Value { get; }

    /// <summary>The symbolic name, or <c>null</c> when the dimension is fixed or unknown.</summary>
    public string? Param { get; }

    /// <summary>A dimension of fixed size.</summary>
    /// <param name="value">The size; zero or more.</param>
    public static OnnxDim FromInt64(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        return new OnnxDim(value, null);
    }

    /// <summary>A symbolic dimension; dimensions with the same name must agree at run time.</summary>
    /// <param name="name">The symbolic name, e.g. <c>"batch"</c>.</param>
    public static OnnxDim FromString(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new OnnxDim(null, name);
    }

    /// <summary>Converts a fixed size; see <see cref="FromInt64"/>.</summary>
    /// <param name="value">The size.</param>
    public static implicit operator OnnxDim(long value) => FromInt64(value);

    /// <summary>Converts a symbolic name; see <see cref="FromString"/>.</summary>
    /// <param name="name">The symbolic name.</param>
    public static implicit operator OnnxDim(string name) => FromString(name);

    /// <summary>The size, the symbolic name, or <c>?</c> when unknown.</summary>
    public override string ToString() =>
        Value?.ToString(CultureInfo.InvariantCulture) ?? Param ?? "?";
}
