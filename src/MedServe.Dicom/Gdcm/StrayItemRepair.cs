using System.Buffers.Binary;

namespace MedServe.Dicom.Gdcm;

/// <summary>
/// Removes stray top-level sequence items (an (FFFE,E000) item with no sequence around it, as some
/// ultrasound writers leave behind) from an explicit VR little endian Part 10 file. GDCM stops reading
/// at such an item and loses every attribute after it, pixel data included; the item's content is a
/// lost sequence's, not image attributes, so dropping it keeps the image intact.
/// </summary>
internal static class StrayItemRepair
{
    /// <summary>The repaired bytes, or null when the file has no stray item this repair can remove.</summary>
    public static byte[]? TryRepair(ReadOnlySpan<byte> file)
    {
        if (file.Length < 132 || !file.Slice(128, 4).SequenceEqual("DICM"u8))
        {
            return null;
        }

        string? syntax = DicomFileMeta.TryGetTransferSyntax(file);
        if (syntax is null || syntax is "1.2.840.10008.1.2" or "1.2.840.10008.1.2.2" or "1.2.840.10008.1.2.1.99")
        {
            return null; // implicit VR, big endian and deflated data sets are not walked here
        }

        var removals = new List<(int Start, int Length)>();
        int position = 132;
        while (position + 8 <= file.Length)
        {
            ushort group = BinaryPrimitives.ReadUInt16LittleEndian(file[position..]);
            ushort element = BinaryPrimitives.ReadUInt16LittleEndian(file[(position + 2)..]);
            if (group == 0xFFFE && element == 0xE000)
            {
                uint itemLength = BinaryPrimitives.ReadUInt32LittleEndian(file[(position + 4)..]);
                if (itemLength == ExplicitVrLittleEndian.UndefinedLength || position + 8L + itemLength > file.Length)
                {
                    return null;
                }

                removals.Add((position, 8 + (int)itemLength));
                position += 8 + (int)itemLength;
                continue;
            }

            if (group == 0x7FE0 && element == 0x0010)
            {
                break;
            }

            if (!TrySkipElement(file, ref position))
            {
                return null;
            }
        }

        if (removals.Count == 0)
        {
            return null;
        }

        var repaired = new List<byte>(file.Length);
        int copied = 0;
        foreach (var (start, length) in removals)
        {
            repaired.AddRange(file[copied..start]);
            copied = start + length;
        }

        repaired.AddRange(file[copied..]);
        return [.. repaired];
    }

    private static bool TrySkipElement(ReadOnlySpan<byte> file, ref int position)
    {
        if (!ExplicitVrLittleEndian.TryReadHeader(file, position, out _, out _, out long length, out int header))
        {
            return false;
        }

        // An undefined-length sequence would need a nested walk; this repair gives up instead.
        if (length == ExplicitVrLittleEndian.UndefinedLength || position + header + length > file.Length)
        {
            return false;
        }

        position += header + (int)length;
        return true;
    }
}
