namespace MedServe.Onnx;

/// <summary>
/// Tensor element types. The numeric values are the ONNX <c>TensorProto.DataType</c> codes, so they go
/// onto the wire unchanged.
/// </summary>
public enum OnnxElementType
{
    /// <summary>32-bit IEEE float (<c>FLOAT</c>).</summary>
    Float = 1,

    /// <summary>Unsigned 8-bit integer (<c>UINT8</c>).</summary>
    UInt8 = 2,

    /// <summary>Signed 8-bit integer (<c>INT8</c>).</summary>
    Int8 = 3,

    /// <summary>Signed 32-bit integer (<c>INT32</c>).</summary>
    Int32 = 6,

    /// <summary>Signed 64-bit integer (<c>INT64</c>).</summary>
    Int64 = 7,

    /// <summary>Boolean, one byte per element (<c>BOOL</c>).</summary>
    Bool = 9,

    /// <summary>16-bit IEEE float (<c>FLOAT16</c>).</summary>
    Float16 = 10,

    /// <summary>64-bit IEEE float (<c>DOUBLE</c>).</summary>
    Double = 11,
}
