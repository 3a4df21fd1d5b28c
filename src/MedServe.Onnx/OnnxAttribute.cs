namespace MedServe.Onnx;

/// <summary>
/// A named operator attribute (an ONNX <c>AttributeProto</c>) holding one float, integer, string or
/// tensor, or a list of floats or integers. Create one with the static factories.
/// </summary>
public sealed class OnnxAttribute
{
    private readonly float[] _floats;
    private readonly long[] _ints;

    private OnnxAttribute(
        string name,
        OnnxAttributeKind kind,
        float f = 0,
        long i = 0,
        string? s = null,
        OnnxTensor? t = null,
        float[]? floats = null,
        long[]? ints = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Kind = kind;
        FloatValue = f;
        IntValue = i;
        StringValue = s;
        TensorValue = t;
        _floats = floats ?? [];
        _ints = ints ?? [];
    }

    /// <summary>The attribute's name, e.g. <c>"kernel_shape"</c>.</summary>
    public string Name { get; }

    /// <summary>Which value the attribute holds.</summary>
    public OnnxAttributeKind Kind { get; }

    /// <summary>The value when <see cref="Kind"/> is <see cref="OnnxAttributeKind.Float"/>.</summary>
    public float FloatValue { get; }

    /// <summary>The value when <see cref="Kind"/> is <see cref="OnnxAttributeKind.Int"/>.</summary>
    public long IntValue { get; }

    /// <summary>The value when <see cref="Kind"/> is <see cref="OnnxAttributeKind.String"/>.</summary>
    public string? StringValue { get; }

    /// <summary>The value when <see cref="Kind"/> is <see cref="OnnxAttributeKind.Tensor"/>.</summary>
    public OnnxTensor? TensorValue { get; }

    /// <summary>The values when <see cref="Kind"/> is <see cref="OnnxAttributeKind.Floats"/>.</summary>
    public IReadOnlyList<float> FloatValues => _floats;

    /// <summary>The values when <see cref="Kind"/> is <see cref="OnnxAttributeKind.Ints"/>.</summary>
    public IReadOnlyList<long> IntValues => _ints;

    /// <summary>An attribute holding one float.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="value">The value.</param>
    public static OnnxAttribute Float(string name, float value) => new(name, OnnxAttributeKind.Float, f: value);

    /// <summary>An attribute holding one integer.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="value">The value.</param>
    public static OnnxAttribute Int(string name, long value) => new(name, OnnxAttributeKind.Int, i: value);

    /// <summary>An attribute holding one string, stored as UTF-8.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="value">The value.</param>
    public static OnnxAttribute String(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(name, OnnxAttributeKind.String, s: value);
    }

    /// <summary>An attribute holding one tensor, e.g. the <c>value</c> of a <c>Constant</c> node.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="value">The tensor.</param>
    public static OnnxAttribute Tensor(string name, OnnxTensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(name, OnnxAttributeKind.Tensor, t: value);
    }

    /// <summary>An attribute holding a list of floats.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="values">The values.</param>
    public static OnnxAttribute Floats(string name, params ReadOnlySpan<float> values) =>
        new(name, OnnxAttributeKind.Floats, floats: values.ToArray());

    /// <summary>An attribute holding a list of integers, e.g. <c>kernel_shape</c> or <c>perm</c>.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="values">The values.</param>
    public static OnnxAttribute Ints(string name, params ReadOnlySpan<long> values) =>
        new(name, OnnxAttributeKind.Ints, ints: values.ToArray());
}
