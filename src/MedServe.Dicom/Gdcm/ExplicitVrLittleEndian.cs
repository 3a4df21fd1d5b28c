using System.Buffers.Binary;

namespace MedServe.Dicom.Gdcm;

/// <summary>Reads element headers of explicit VR little endian data (the file meta group, and data sets in that syntax).</summary>
internal static class ExplicitVrLittleEndian
{
    /// <summary>The length of an undefined-length value (sequences, encapsulated pixel data).</summary>
    public const uint UndefinedLength = 0xFFFFFFFF;

    /// <summary>
    /// Reads the element header at <paramref name="position"/>: its tag, value length and header size
    /// (8, or 12 for the VRs with a 32-bit length). False when the header runs past the data.
    /// </summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> data, int position, out ushort group, out ushort element, out long length, out int headerLength)
    {
        group = 0;
        element = 0;
        length = 0;
        headerLength = 0;
        if (position < 0 || position + 8 > data.Length)
        {
            return false;
        }

        group = BinaryPrimitives.ReadUInt16LittleEndian(data[position..]);
        element = BinaryPrimitives.ReadUInt16LittleEndian(data[(position + 2)..]);
        if (HasLongLength(data.Slice(position + 4, 2)))
        {
            if (position + 12 > data.Length)
            {
                return false;
            }

            length = BinaryPrimitives.ReadUInt32LittleEndian(data[(position + 8)..]);
            headerLength = 12;
        }
        else
        {
            length = BinaryPrimitives.ReadUInt16LittleEndian(data[(position + 6)..]);
            headerLength = 8;
        }

        return true;
    }

    private static bool HasLongLength(ReadOnlySpan<byte> vr) =>
        vr[0] is (byte)'O' && vr[1] is (byte)'B' or (byte)'W' or (byte)'F' or (byte)'D' or (byte)'L' or (byte)'V'
        || vr[0] is (byte)'U' && vr[1] is (byte)'T' or (byte)'N' or (byte)'C' or (byte)'R' or (byte)'V'
        || vr.SequenceEqual("SQ"u8) || vr.SequenceEqual("SV"u8);
}
