using System.Text;

namespace MedServe.Dicom.Gdcm;

/// <summary>
/// Reads the transfer syntax UID from the file meta information (group 0002, always explicit VR
/// little endian) without GDCM, so that syntaxes GDCM cannot parse are named in the refusal.
/// </summary>
internal static class DicomFileMeta
{
    /// <summary>The transfer syntax UID in the file meta group, or null when there is none.</summary>
    public static string? TryGetTransferSyntax(ReadOnlySpan<byte> file) =>
        TryFindTransferSyntax(file, out int offset, out int length)
            ? Encoding.ASCII.GetString(file.Slice(offset, length)).TrimEnd('\0', ' ')
            : null;

    /// <summary>
    /// Relabels a High-Throughput JPEG 2000 file as JPEG 2000 in place (same byte length, NUL padded),
    /// so GDCM 3.0, which does not know the HTJ2K UIDs, parses it and hands the codestream to OpenJPEG
    /// (2.5 and later decode HTJ2K). Returns the original UID, or null when the file is not HTJ2K.
    /// </summary>
    public static string? RelabelHighThroughputJpeg2000(Span<byte> file)
    {
        if (!TryFindTransferSyntax(file, out int offset, out int length))
        {
            return null;
        }

        string uid = Encoding.ASCII.GetString(file.Slice(offset, length)).TrimEnd('\0', ' ');
        if (!DicomTransferSyntaxes.IsHighThroughputJpeg2000(uid))
        {
            return null;
        }

        // Lossless-only HTJ2K → JPEG 2000 lossless; HTJ2K (possibly lossy) → JPEG 2000.
        string target = uid == "1.2.840.10008.1.2.4.203" ? "1.2.840.10008.1.2.4.91" : "1.2.840.10008.1.2.4.90";
        var value = file.Slice(offset, length);
        value.Clear();
        Encoding.ASCII.GetBytes(target, value);
        return uid;
    }

    private static bool TryFindTransferSyntax(ReadOnlySpan<byte> file, out int valueOffset, out int valueLength)
    {
        valueOffset = 0;
        valueLength = 0;
        if (file.Length < 132 || !file.Slice(128, 4).SequenceEqual("DICM"u8))
        {
            return false;
        }

        int offset = 132;
        while (ExplicitVrLittleEndian.TryReadHeader(file, offset, out ushort group, out ushort element, out long length, out int header))
        {
            if (group != 0x0002 || offset + header + length > file.Length)
            {
                return false;
            }

            if (element == 0x0010)
            {
                valueOffset = offset + header;
                valueLength = (int)length;
                return true;
            }

            offset += header + (int)length;
        }

        return false;
    }
}
