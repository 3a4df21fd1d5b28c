namespace MedServe.Imaging;

/// <summary>The CRC-32 (ISO-HDLC, polynomial 0xEDB88320) that PNG chunks carry.</summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>Computes the CRC of <paramref name="data"/>, continuing from <paramref name="crc"/>.</summary>
    /// <param name="data">The bytes to add.</param>
    /// <param name="crc">A previous result, or 0 to start.</param>
    /// <returns>The CRC including <paramref name="data"/>.</returns>
    public static uint Compute(ReadOnlySpan<byte> data, uint crc = 0)
    {
        uint c = ~crc;
        foreach (byte b in data)
        {
            c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        }

        return ~c;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
