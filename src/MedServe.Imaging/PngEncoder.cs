using SkiaSharp;

namespace MedServe.Imaging;

/// <summary>Encodes lossless PNG files (overlays, test images): what is written is what <see cref="PngReader"/> reads back.</summary>
public static class PngEncoder
{
    /// <summary>Encodes a gray, RGB or RGBA image as an 8-bit PNG.</summary>
    /// <param name="image">A <see cref="PixelFormat.Gray8"/>, <see cref="PixelFormat.Rgb8"/> or <see cref="PixelFormat.Rgba8"/> image.</param>
    /// <returns>The PNG file bytes.</returns>
    /// <exception cref="ArgumentException">The image is gray with alpha; convert it first (<see cref="ImageConverter"/>).</exception>
    public static byte[] Encode(PixelBuffer image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var options = new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, zLibLevel: 6);
        return SkiaPixels.Encode(image, pixmap => pixmap.Encode(options), "PNG");
    }
}
