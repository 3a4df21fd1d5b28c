using System.Buffers.Binary;

namespace MedServe.Dicom.Worker;

/// <summary>Recognises DICOM by content: a Part 10 file, or a raw data set without preamble.</summary>
public static class DicomSniffer
{
    /// <summary>
    /// True for <c>DICM</c> at offset 128, or a plausible group 0002/0008 element at offset 0 in
    /// explicit or implicit VR little endian.
    /// </summary>
    /// <param name="data">The leading bytes (at least 132 for a Part 10 file).</param>
    /// <returns>Whether the bytes look like DICOM.</returns>
    public static bool IsDicom(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 132 && data.Slice(128, 4).SequenceEqual("DICM"u8))
        {
            return true;
        }

        if (data.Length < 8)
        {
            return false;
        }

        ushort group = BinaryPrimitives.ReadUInt16LittleEndian(data);
        ushort element = BinaryPrimitives.ReadUInt16LittleEndian(data[2..]);
        if (group is not (0x0002 or 0x0008) || element > 0x2000)
        {
            return false;
        }

        if (IsVr(data[4], data[5]))
        {
            return true;
        }

        // Implicit VR: a 32-bit length that fits in the data and is not absurd for a header element.
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        return length <= 1024 && length <= data.Length - 8;
    }

    private static bool IsVr(byte first, byte second) =>
        (first, second) switch
        {
            ((byte)'A', (byte)'E' or (byte)'S' or (byte)'T') => true,
            ((byte)'C', (byte)'S') => true,
            ((byte)'D', (byte)'A' or (byte)'S' or (byte)'T') => true,
            ((byte)'F', (byte)'L' or (byte)'D') => true,
            ((byte)'I', (byte)'S') => true,
            ((byte)'L', (byte)'O' or (byte)'T') => true,
            ((byte)'O', (byte)'B' or (byte)'D' or (byte)'F' or (byte)'L' or (byte)'V' or (byte)'W') => true,
            ((byte)'P', (byte)'N') => true,
            ((byte)'S', (byte)'H' or (byte)'L' or (byte)'Q' or (byte)'S' or (byte)'T' or (byte)'V') => true,
            ((byte)'T', (byte)'M') => true,
            ((byte)'U', (byte)'C' or (byte)'I' or (byte)'L' or (byte)'N' or (byte)'R' or (byte)'S' or (byte)'T' or (byte)'V') => true,
            _ => false,
        };
}
