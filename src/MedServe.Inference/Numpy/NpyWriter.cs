using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace MedServe.Inference.Numpy;

/// <summary>Writes NumPy <c>.npy</c> files (format 1.0, little-endian, C order).</summary>
public static class NpyWriter
{
    /// <summary>Writes a float32 array of the given shape.</summary>
    public static void WriteFloat32(Stream stream, ReadOnlySpan<float> values, ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(stream);
        long count = 1;
        foreach (int d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            count *= d;
        }

        if (count != values.Length)
        {
            throw new ArgumentException($"shape holds {count} values but {values.Length} were given", nameof(values));
        }

        var dims = new StringBuilder();
        foreach (int d in shape)
        {
            dims.Append(d.ToString(CultureInfo.InvariantCulture)).Append(", ");
        }

        string shapeText = shape.Length switch
        {
            0 => "()",
            1 => $"({shape[0].ToString(CultureInfo.InvariantCulture)},)",
            _ => $"({dims.ToString(0, dims.Length - 2)})",
        };
        string header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shapeText}, }}";
        // Magic (6) + version (2) + header length (2) + header + '\n', padded with spaces to a multiple of 64.
        int unpadded = 10 + header.Length + 1;
        int padding = (64 - (unpadded % 64)) % 64;
        string fullHeader = header + new string(' ', padding) + "\n";

        Span<byte> preamble = stackalloc byte[10];
        preamble[0] = 0x93;
        "NUMPY"u8.CopyTo(preamble[1..]);
        preamble[6] = 1;
        preamble[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(preamble[8..], checked((ushort)fullHeader.Length));
        stream.Write(preamble);
        stream.Write(Encoding.ASCII.GetBytes(fullHeader));

        byte[] buffer = new byte[Math.Min(values.Length, 1 << 16) * sizeof(float)];
        int offset = 0;
        while (offset < values.Length)
        {
            int n = Math.Min(values.Length - offset, buffer.Length / sizeof(float));
            for (int i = 0; i < n; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * sizeof(float)), values[offset + i]);
            }

            stream.Write(buffer, 0, n * sizeof(float));
            offset += n;
        }
    }
}
