using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
    public static OnnxTensor FromFloat(string name, ReadOnlySpan<float> values, ReadOnlySpan<long> dims) =>
        From(name, OnnxElementType.Float, values, dims);

    /// <summary>Creates an int64 tensor.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="dims">The dimensions; their product must equal the number of elements.</param>
    public static OnnxTensor FromInt64(string name, ReadOnlySpan<long> values, ReadOnlySpan<long> dims) =>
        From(name, OnnxElementType.Int64, values, dims);

    /// <summary>Creates an int32 tensor.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="dims">The dimensions; their product must equal the number of elements.</param>
    public static OnnxTensor FromInt32(string name, ReadOnlySpan<int> values, ReadOnlySpan<long> dims) =>
        From(name, OnnxElementType.Int32, values, dims);

    /// <summary>ONNX raw data is little-endian; on a big-endian host each element's bytes are reversed.</summary>
    private static OnnxTensor From<T>(string name, OnnxElementType type, ReadOnlySpan<T> values, ReadOnlySpan<long> dims)
        where T : unmanaged
    {
        long[] shape = CheckShape(name, values.Length, dims);
        byte[] raw = MemoryMarshal.AsBytes(values).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            int size = Unsafe.SizeOf<T>();
            for (int i = 0; i < raw.Length; i += size)
            {
                raw.AsSpan(i, size).Reverse();
            }
        }

        return new OnnxTensor(name, type, shape, raw);
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
