using System.Buffers.Binary;
using System.Text;

namespace MedServe.Testing;

/// <summary>
/// Hand-built Part 10 files (explicit VR little endian) for shapes a real writer will not produce:
/// no pixel data, a hostile declared size, an unsupported photometric interpretation.
/// </summary>
internal static class MinimalDicom
{
    public static byte[] Build(IEnumerable<(ushort Group, ushort Element, string Vr, byte[] Value)> dataset)
    {
        var meta = new MemoryStream();
        Write(meta, 0x0002, 0x0001, "OB", [0, 1]);
        Write(meta, 0x0002, 0x0002, "UI", Uid("1.2.840.10008.5.1.4.1.1.7"));
        Write(meta, 0x0002, 0x0003, "UI", Uid("1.2.3.4.5.6.7"));
        Write(meta, 0x0002, 0x0010, "UI", Uid("1.2.840.10008.1.2.1"));
        var file = new MemoryStream();
        file.Write(new byte[128]);
        file.Write("DICM"u8);
        byte[] length = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)meta.Length);
        Write(file, 0x0002, 0x0000, "UL", length);
        meta.WriteTo(file);
        foreach (var (group, element, vr, value) in dataset.OrderBy(e => ((uint)e.Group << 16) | e.Element))
        {
            Write(file, group, element, vr, value);
        }

        return file.ToArray();
    }

    public static byte[] Text(string value) => Even(Encoding.ASCII.GetBytes(value), (byte)' ');

    public static byte[] Uid(string value) => Even(Encoding.ASCII.GetBytes(value), 0);

    public static byte[] US(ushort value)
    {
        byte[] bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        return bytes;
    }

    /// <summary>An 8-bit monochrome-style image header with the given geometry and pixel bytes.</summary>
    public static byte[] Image(ushort rows, ushort columns, string photometric, byte[] pixels, ushort samplesPerPixel = 1) => Build(
    [
        (0x0008, 0x0016, "UI", Uid("1.2.840.10008.5.1.4.1.1.7")),
        (0x0008, 0x0018, "UI", Uid("1.2.3.4.5.6.7")),
        (0x0008, 0x0060, "CS", Text("OT")),
        (0x0028, 0x0002, "US", US(samplesPerPixel)),
        (0x0028, 0x0004, "CS", Text(photometric)),
        (0x0028, 0x0010, "US", US(rows)),
        (0x0028, 0x0011, "US", US(columns)),
        (0x0028, 0x0100, "US", US(8)),
        (0x0028, 0x0101, "US", US(8)),
        (0x0028, 0x0102, "US", US(7)),
        (0x0028, 0x0103, "US", US(0)),
        (0x7FE0, 0x0010, "OB", Even(pixels, 0)),
    ]);

    private static byte[] Even(byte[] value, byte pad) => value.Length % 2 == 0 ? value : [.. value, pad];

    private static void Write(Stream stream, ushort group, ushort element, string vr, byte[] value)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(header, group);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], element);
        header[4] = (byte)vr[0];
        header[5] = (byte)vr[1];
        if (vr is "OB" or "OW" or "UN" or "SQ" or "UT")
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)value.Length);
            stream.Write(header[..12]);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)value.Length);
            stream.Write(header[..8]);
        }

        stream.Write(value);
    }
}
