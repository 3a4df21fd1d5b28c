namespace MedServe.Imaging.Tests;

/// <summary>Deterministic test images; the same formula was used in Python to obtain Pillow's outputs.</summary>
internal static class Patterns
{
    /// <summary>
    /// Colour samples (x²·7 + y·13 + x·y·5 + c·71) mod 256; alpha (x·31 + y·17)·3 mod 256, or 255 where
    /// (x + y) mod 5 = 4, so alpha covers 0, 255 and values between.
    /// </summary>
    public static PixelBuffer Create(PixelFormat format, int width, int height)
    {
        var buffer = new PixelBuffer(width, height, format);
        int ch = buffer.Channels;
        bool alpha = format is PixelFormat.GrayAlpha8 or PixelFormat.Rgba8;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < ch; c++)
                {
                    int v = alpha && c == ch - 1
                        ? ((x + y) % 5 == 4 ? 255 : ((x * 31) + (y * 17)) * 3 & 255)
                        : ((x * x * 7) + (y * 13) + (x * y * 5) + (c * 71)) & 255;
                    buffer.Data[(((y * width) + x) * ch) + c] = (byte)v;
                }
            }
        }

        return buffer;
    }
}
