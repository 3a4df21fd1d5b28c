using SkiaSharp;

namespace MedServe.Benchmarks;

/// <summary>Deterministic test images: a smooth gradient with noise, as PNG and JPEG.</summary>
internal static class BenchImages
{
    public static byte[] Png(int width, int height) => Encode(width, height, SKEncodedImageFormat.Png, 100);

    public static byte[] Jpeg(int width, int height) => Encode(width, height, SKEncodedImageFormat.Jpeg, 90);

    /// <summary>The same gradient as a 16-bit gray PNG (as exported CR/DX images are), written by the tests' PNG writer.</summary>
    public static byte[] Png16(int width, int height)
    {
        var random = new Random(42);
        int[] samples = new int[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                samples[(y * width) + x] = Math.Clamp(((x + y) * 65535 / (width + height)) + random.Next(-2048, 2049), 0, 65535);
            }
        }

        return MedServe.Imaging.Tests.TestPng.Encode(width, height, bitDepth: 16, colorType: 0, samples);
    }

    private static byte[] Encode(int width, int height, SKEncodedImageFormat format, int quality)
    {
        var random = new Random(42);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                byte v = (byte)Math.Clamp(((x + y) * 255 / (width + height)) + random.Next(-8, 9), 0, 255);
                bitmap.SetPixel(x, y, new SKColor(v, v, v));
            }
        }

        using var data = bitmap.Encode(format, quality);
        return data.ToArray();
    }
}
