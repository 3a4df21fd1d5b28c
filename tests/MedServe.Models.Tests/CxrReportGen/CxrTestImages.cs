using SkiaSharp;

namespace MedServe.Models.Tests.CxrReportGen;

/// <summary>Gray PNGs whose brightness steers the synthetic decoder (dark → one script, bright → the other).</summary>
internal static class CxrTestImages
{
    /// <summary>A mostly dark image with one bright pixel, so the min–max stretch keeps it dark.</summary>
    public static byte[] Dark(int width = 48, int height = 40) => Png(width, height, background: 20, spot: 220);

    /// <summary>A mostly bright image with one dark pixel.</summary>
    public static byte[] Bright(int width = 48, int height = 40) => Png(width, height, background: 220, spot: 20);

    private static byte[] Png(int width, int height, byte background, byte spot)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                byte v = x == 1 && y == 1 ? spot : background;
                bitmap.SetPixel(x, y, new SKColor(v, v, v));
            }
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
