using System.Buffers.Binary;
using System.Text;

namespace MedServe.Dicom.Gdcm;

/// <summary>
/// Reads the transfer syntax UID from the file meta information (group 0002, always explicit VR
/// little endian) without GDCM, so that syntaxes GDCM cannot parse are named in the refusal.
/// </summary>
internal static class DicomFileMeta
{
    /// <summary>The transfer syntax UID in the file meta group, or null when there is none.</summary>
    public static string? TryGetTransferSyntax(ReadOnlySpan<byte> file)
    {
        if (file.Length < 132 || !file.Slice(128, 4).SequenceEqual("DICM"u8))
        {
            return null;
        }

        int offset = 132;
        while (offset + 8 <= file.Length)
        {
            ushort group = BinaryPrimitives.ReadUInt16LittleEndian(file[offset..]);
            ushort element = BinaryPrimitives.ReadUInt16LittleEndian(file[(offset + 2)..]);
            if (group != 0x0002)
            {
                return null;
            }

            ReadOnlySpan<byte> vr = file.Slice(offset + 4, 2);
            bool longForm = vr.SequenceEqual("OB"u8) || vr.SequenceEqual("OW"u8) || vr.SequenceEqual("UN"u8)
                || vr.SequenceEqual("SQ"u8) || vr.SequenceEqual("UT"u8) || vr.SequenceEqual("UC"u8) || vr.SequenceEqual("UR"u8);
            long length;
            int header;
            if (longForm)
            {
                if (offset + 12 > file.Length)
                {
                    return null;
                }

                length = BinaryPrimitives.ReadUInt32LittleEndian(file[(offset + 8)..]);
                header = 12;
            }
            else
            {
                length = BinaryPrimitives.ReadUInt16LittleEndian(file[(offset + 6)..]);
                header = 8;
            }

            if (offset + header + length > file.Length)
            {
                return null;
            }

            if (element == 0x0010)
            {
                return Encoding.ASCII.GetString(file.Slice(offset + header, (int)length)).TrimEnd('\0', ' ');
            }

            offset += header + (int)length;
        }

        return null;
    }
}
