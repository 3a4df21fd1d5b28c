using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MedServe.Imaging.Tests;

/// <summary>
/// A minimal PNG writer for tests, so every flavour (colour type, bit depth, palette, tRNS, Adam7) can be
/// produced with known sample values. Rows cycle through all five filter types to exercise unfiltering.
/// </summary>
internal static class TestPng
{
    private static readonly int[][] Adam7 =
    [
        [0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2],
    ];

    /// <summary>Encodes samples (one int per sample, row-major, interleaved) into a PNG file.</summary>
    public static byte[] Encode(
        int width,
        int height,
        int bitDepth,
        int colorType,
        int[] samples,
        byte[]? palette = null,
        byte[]? transparency = null,
        bool interlaced = false,
        int idatChunkSize = int.MaxValue)
    {
        int spp = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        using var raw = new MemoryStream();
        int[][] passes = interlaced ? Adam7 : [[0, 0, 1, 1]];
        int filter = 0;
        foreach (int[] pass in passes)
        {
            int pw = (width - pass[0] + pass[2] - 1) / pass[2];
            int ph = (height - pass[1] + pass[3] - 1) / pass[3];
            if (pw <= 0 || ph <= 0)
            {
                continue;
            }

            int rowBytes = ((pw * spp * bitDepth) + 7) / 8;
            int bpp = Math.Max(1, spp * bitDepth / 8);
            byte[] prev = new byte[rowBytes];
            for (int r = 0; r < ph; r++)
            {
                int y = pass[1] + (r * pass[3]);
                byte[] row = new byte[rowBytes];
                int bit = 0;
                for (int i = 0; i < pw; i++)
                {
                    int x = pass[0] + (i * pass[2]);
                    for (int s = 0; s < spp; s++)
                    {
                        int v = samples[(((y * width) + x) * spp) + s];
                        if (bitDepth == 16)
                        {
                            row[bit / 8] = (byte)(v >> 8);
                            row[(bit / 8) + 1] = (byte)v;
                        }
                        else
                        {
                            row[bit / 8] |= (byte)(v << (8 - bitDepth - (bit % 8)));
                        }

                        bit += bitDepth;
                    }
                }

                raw.WriteByte((byte)filter);
                for (int i = 0; i < rowBytes; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0;
                    int b = prev[i];
                    int c = i >= bpp ? prev[i - bpp] : 0;
                    int predictor = filter switch
                    {
                        0 => 0,
                        1 => a,
                        2 => b,
                        3 => (a + b) / 2,
                        _ => Paeth(a, b, c),
                    };
                    raw.WriteByte((byte)(row[i] - predictor));
                }

                prev = row;
                filter = (filter + 1) % 5;
            }
        }

        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            raw.Position = 0;
            raw.CopyTo(z);
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = (byte)bitDepth;
        header[9] = (byte)colorType;
        header[12] = interlaced ? (byte)1 : (byte)0;
        return Assemble(header, compressed.ToArray(), palette, transparency, idatChunkSize);
    }

    /// <summary>Builds a PNG from an IHDR body and image data split into IDAT chunks, with optional PLTE and tRNS.</summary>
    public static byte[] Assemble(byte[] ihdr, byte[] idat, byte[]? palette = null, byte[]? transparency = null, int idatChunkSize = int.MaxValue)
    {
        using var file = new MemoryStream();
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(file, "IHDR", ihdr);
        if (palette is not null)
        {
            WriteChunk(file, "PLTE", palette);
        }

        if (transparency is not null)
        {
            WriteChunk(file, "tRNS", transparency);
        }

        for (int offset = 0; offset < idat.Length; offset += idatChunkSize)
        {
            WriteChunk(file, "IDAT", idat.AsSpan(offset, Math.Min(idatChunkSize, idat.Length - offset)).ToArray());
        }
        WriteChunk(file, "IEND", []);
        return file.ToArray();
    }

    /// <summary>An IHDR body.</summary>
    public static byte[] Header(int width, int height, int bitDepth, int colorType)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = (byte)bitDepth;
        header[9] = (byte)colorType;
        return header;
    }

    private static void WriteChunk(Stream file, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        file.Write(word);
        byte[] typeAndData = [.. Encoding.ASCII.GetBytes(type), .. data];
        file.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Compute(typeAndData));
        file.Write(word);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a);
        int pb = Math.Abs(p - b);
        int pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
