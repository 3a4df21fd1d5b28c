using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace MedServe.Onnx.Protobuf;

/// <summary>
/// A minimal append-only protobuf encoder. Nested messages are encoded into their own writer first and
/// then copied in with <see cref="WriteMessage"/>, because a length prefix has to precede the bytes;
/// ONNX graphs small enough to build by hand make that copy negligible.
/// </summary>
internal sealed class ProtoWriter
{
    /// <summary>The longest varint: a 64-bit value takes at most ten 7-bit groups.</summary>
    public const int MaxVarintLength = 10;

    private readonly ArrayBufferWriter<byte> _buffer;

    /// <summary>Creates an empty writer.</summary>
    /// <param name="initialCapacity">Bytes to reserve up front.</param>
    public ProtoWriter(int initialCapacity = 256)
    {
        _buffer = new ArrayBufferWriter<byte>(Math.Max(initialCapacity, 16));
    }

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    /// <summary>A copy of the bytes written so far.</summary>
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    /// <summary>How many bytes <paramref name="value"/> takes as a varint.</summary>
    public static int VarintLength(ulong value)
    {
        int length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    /// <summary>Writes <paramref name="value"/> as a base-128 varint, least significant group first.</summary>
    public void WriteVarint(ulong value)
    {
        Span<byte> span = _buffer.GetSpan(MaxVarintLength);
        int n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[n++] = (byte)value;
        _buffer.Advance(n);
    }

    /// <summary>Writes a field tag: the field number shifted left three bits, or'ed with the wire type.</summary>
    public void WriteTag(int fieldNumber, WireType wireType)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fieldNumber, 1);
        WriteVarint(((ulong)(uint)fieldNumber << 3) | (uint)wireType);
    }

    /// <summary>Writes an int64 field. Negative values take ten bytes (two's complement, no zigzag).</summary>
    public void WriteInt64(int fieldNumber, long value)
    {
        WriteTag(fieldNumber, WireType.Varint);
        WriteVarint((ulong)value);
    }

    /// <summary>
    /// Writes an int32 (or enum) field. Protobuf sign-extends negative int32 values to 64 bits, so they
    /// take ten bytes too; the cast through <see cref="long"/> does exactly that.
    /// </summary>
    public void WriteInt32(int fieldNumber, int value) => WriteInt64(fieldNumber, value);

    /// <summary>Writes a float field as four little-endian bytes.</summary>
    public void WriteFloat(int fieldNumber, float value)
    {
        WriteTag(fieldNumber, WireType.Fixed32);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.GetSpan(sizeof(float)), value);
        _buffer.Advance(sizeof(float));
    }

    /// <summary>Writes a bytes field: length prefix, then the bytes.</summary>
    public void WriteBytes(int fieldNumber, ReadOnlySpan<byte> value)
    {
        WriteTag(fieldNumber, WireType.LengthDelimited);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    /// <summary>Writes a string field as UTF-8.</summary>
    public void WriteString(int fieldNumber, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int byteCount = Encoding.UTF8.GetByteCount(value);
        WriteTag(fieldNumber, WireType.LengthDelimited);
        WriteVarint((ulong)byteCount);
        int written = Encoding.UTF8.GetBytes(value, _buffer.GetSpan(byteCount));
        _buffer.Advance(written);
    }

    /// <summary>Writes an embedded message whose bytes were produced by <paramref name="message"/>.</summary>
    public void WriteMessage(int fieldNumber, ProtoWriter message)
    {
        ArgumentNullException.ThrowIfNull(message);
        WriteBytes(fieldNumber, message.WrittenSpan);
    }

    /// <summary>
    /// Writes a packed repeated int64 field: one tag, the total byte length, then the varints back to back.
    /// Nothing is written for an empty list, which protobuf reads the same as an absent field.
    /// </summary>
    public void WritePackedInt64(int fieldNumber, ReadOnlySpan<long> values)
    {
        if (values.IsEmpty)
        {
            return;
        }

        int length = 0;
        foreach (long value in values)
        {
            length += VarintLength((ulong)value);
        }

        WriteTag(fieldNumber, WireType.LengthDelimited);
        WriteVarint((ulong)length);
        foreach (long value in values)
        {
            WriteVarint((ulong)value);
        }
    }

    /// <summary>Writes a packed repeated float field: one tag, the byte length, then four bytes per value.</summary>
    public void WritePackedFloat(int fieldNumber, ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            return;
        }

        int length = values.Length * sizeof(float);
        WriteTag(fieldNumber, WireType.LengthDelimited);
        WriteVarint((ulong)length);
        Span<byte> span = _buffer.GetSpan(length);
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(span[(i * sizeof(float))..], values[i]);
        }

        _buffer.Advance(length);
    }
}
