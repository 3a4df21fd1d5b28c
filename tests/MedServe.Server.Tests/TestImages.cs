using SkiaSharp;

namespace MedServe.Server.Tests;

/// <summary>Images the tests make themselves.</summary>
internal static class TestImages
{
    /// <summary>An RGB gradient PNG (red across, green down) with a dark square top-left.</summary>
    public static byte[] GradientPng(int width = 64, int height = 48, byte blue = 90)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bool square = x < width / 4 && y < height / 4;
                bitmap.SetPixel(x, y, square ? new SKColor(10, 10, 10) : new SKColor((byte)(x * 255 / (width - 1)), (byte)(y * 255 / (height - 1)), blue));
            }
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A JPEG of the gradient.</summary>
    public static byte[] GradientJpeg()
    {
        using var bitmap = SKBitmap.Decode(GradientPng());
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    /// <summary>A PNG signature and IHDR claiming the given size, then garbage: a decompression bomb header.</summary>
    public static byte[] PngHeaderOnly(int width, int height)
    {
        var bytes = new List<byte> { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
        byte[] ihdr = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 2;
        byte[] type = "IHDR"u8.ToArray();
        bytes.AddRange([0, 0, 0, 13]);
        bytes.AddRange(type);
        bytes.AddRange(ihdr);
        uint crc = Crc32([.. type, .. ihdr]);
        bytes.AddRange([(byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc]);
        bytes.AddRange([0, 0, 0, 4, (byte)'I', (byte)'D', (byte)'A', (byte)'T', 1, 2, 3, 4, 0, 0, 0, 0]);
        return [.. bytes];
    }

    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    /// <summary>Base64 in the MIME style: a line break every 76 characters.</summary>
    public static string MimeBase64(byte[] bytes) => Convert.ToBase64String(bytes, Base64FormattingOptions.InsertLineBreaks);
}
