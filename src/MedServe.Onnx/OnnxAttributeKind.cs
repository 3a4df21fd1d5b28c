namespace MedServe.Onnx;

/// <summary>
/// What an <see cref="OnnxAttribute"/> holds. The numeric values are the ONNX
/// <c>AttributeProto.AttributeType</c> codes.
/// </summary>
public enum OnnxAttributeKind
{
    /// <summary>One float (<c>f</c>).</summary>
    Float = 1,

    /// <summary>One int64 (<c>i</c>).</summary>
    Int = 2,

    /// <summary>One UTF-8 string (<c>s</c>).</summary>
    String = 3,

    /// <summary>One tensor (<c>t</c>).</summary>
    Tensor = 4,

    /// <summary>A list of floats (<c>floats</c>).</summary>
    Floats = 6,

    /// <summary>A list of int64 (<c>ints</c>).</summary>
    Ints = 7,
}
