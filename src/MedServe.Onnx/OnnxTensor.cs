using System.Buffers.Binary;

namespace MedServe.Onnx;

/// <summary>
/// A constant tensor (an ONNX <c>TensorProto</c>) for initializers and tensor attributes. The elements
/// are kept as little-endian <c>raw_data</c>, the layout ONNX prescribes whatever the host's byte order.
/// </summary>
public sealed class OnnxTensor
{
    private readonly long[] _dims;
    private readonly byte[] _rawData;

    private OnnxTensor(string name, OnnxElementType elementType, long[] dims, byte[] rawData)
    {
        Name = name;
        ElementType = elementType;
        _dims = dims;
        _rawData = rawData;
    }

    /// <summary>The tensor's name; empty for an anonymous attribute value.</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public OnnxElementType ElementType { get; }

    /// <summary>The dimensions, outermost first; empty for a scalar.</summary>
    public IReadOnlyList<long> Dims => _dims;

    /// <summary>The elements as little-endian bytes, row-major.</summary>
    public ReadOnlyMemory<byte> RawData => _rawData;

    /// <summary>Creates a float32 tensor.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="dims">The dimensions; their product must equal the number of elements.</param>
    public static OnnxTensor FromFloat(string name, ReadOnlySpan<float> values, ReadOnlySpan<long> dims)
    {
        long[] shape = CheckShape(name, values.Length, dims);
        byte[] raw = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), values[i]);
        }

        return new OnnxTensor(name, OnnxElementType.Float, shape, raw);
    }

    /// <summary>Creates an int64 tensor.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="dims">The dimensions; their product must equal the number of elements.</param>
    public static OnnxTensor FromInt64(string name, ReadOnlySpan<long> values, ReadOnlySpan<long> dims)
    {
        long[] shape = CheckShape(name, values.Length, dims);
        byte[] raw = new byte[values.Length * sizeof(long)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * sizeof(long)), values[i]);
        }

        return new OnnxTensor(name, OnnxElementType.Int64, shape, raw);
    }

    /// <summary>Creates an int32 tensor.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="dims">The dimensions; their product must equal the number of elements.</param>
    public static OnnxTensor FromInt32(string name, ReadOnlySpan<int> values, ReadOnlySpan<long> dims)
    {
        long[] shape = CheckShape(name, values.Length, dims);
        byte[] raw = new byte[values.Length * sizeof(int)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(raw.AsSpan(i * sizeof(int)), values[i]);
        }

        return new OnnxTensor(name, OnnxElementType.Int32, shape, raw);
    }

    private static long[] CheckShape(string name, int elementCount, ReadOnlySpan<long> dims)
    {
        ArgumentNullException.ThrowIfNull(name);
        long product = 1;
        foreach (long dim in dims)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dim, nameof(dims));
            product *= dim;
        }

        if (product != elementCount)
        {
            throw new ArgumentException(
                $"Tensor '{name}' has {elementCount} elements but its dimensions [{string.Join(", ", dims.ToArray())}] hold {product}.",
                nameof(dims));
        }

        return dims.ToArray();
    }
}
