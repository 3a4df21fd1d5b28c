using System.Buffers.Binary;

namespace MedServe.Dicom.Gdcm;

/// <summary>
/// Tells whether a file ends before its top-level Pixel Data does. GDCM reads such a file
/// "successfully" and pads the missing samples, which would embed an image that is not the patient's;
/// so the bytes are checked before decoding.
/// </summary>
internal static class PixelDataExtent
{
    private const uint UndefinedLength = 0xFFFFFFFF;

    /// <summary>
    /// True when the last (top-level) Pixel Data element declares more bytes than the file holds, or,
    /// for encapsulated data, when no sequence delimitation item follows it.
    /// </summary>
    public static bool IsTruncated(ReadOnlySpan<byte> file)
    {
        // The top-level Pixel Data is the last one in the file (icon images nest theirs earlier). The
        // tag's bytes may also occur inside pixel data, so a candidate followed by an explicit VR
        // header (OB/OW… and two zero bytes) wins over a later implicit-looking one.
        int offset = LastTag(file, [0xE0, 0x7F, 0x10, 0x00], out bool explicitLittle);
        int bigOffset = LastTag(file, [0x7F, 0xE0, 0x00, 0x10], out bool explicitBig);
        bool isBig = bigOffset >= 0 && explicitBig && (!explicitLittle || bigOffset > offset);
        if (isBig)
        {
            offset = bigOffset;
        }

        if (offset < 0)
        {
            return false;
        }

        var rest = file[(offset + 4)..];
        if (rest.Length < 4)
        {
            return true;
        }

        long headerLength;
        uint length;
        if (IsExplicitVr(rest))
        {
            // OB/OW/OF/OD/UN: VR, two reserved bytes, then a 32-bit length.
            if (rest.Length < 8)
            {
                return true;
            }

            length = isBig ? BinaryPrimitives.ReadUInt32BigEndian(rest[4..]) : BinaryPrimitives.ReadUInt32LittleEndian(rest[4..]);
            headerLength = 12;
        }
        else
        {
            length = isBig ? BinaryPrimitives.ReadUInt32BigEndian(rest) : BinaryPrimitives.ReadUInt32LittleEndian(rest);
            headerLength = 8;
        }

        if (length == UndefinedLength)
        {
            // Encapsulated fragments end with a sequence delimitation item (FFFE,E0DD).
            ReadOnlySpan<byte> delimiter = isBig ? [0xFF, 0xFE, 0xE0, 0xDD] : [0xFE, 0xFF, 0xDD, 0xE0];
            return rest.IndexOf(delimiter) < 0;
        }

        return offset + headerLength + length > file.Length;
    }

    private static int LastTag(ReadOnlySpan<byte> file, ReadOnlySpan<byte> tag, out bool explicitVr)
    {
        int fallback = -1;
        for (int end = file.Length; end > 0;)
        {
            int at = file[..end].LastIndexOf(tag);
            if (at < 0)
            {
                break;
            }

            if (at + 8 <= file.Length && IsExplicitVr(file[(at + 4)..]))
            {
                explicitVr = true;
                return at;
            }

            if (fallback < 0)
            {
                fallback = at;
            }

            end = at;
        }

        explicitVr = false;
        return fallback;
    }

    private static bool IsExplicitVr(ReadOnlySpan<byte> rest) =>
        rest[0] is (byte)'O' or (byte)'U' && rest[1] is (byte)'B' or (byte)'W' or (byte)'F' or (byte)'D' or (byte)'N'
        && rest[2] == 0 && rest[3] == 0;
}
