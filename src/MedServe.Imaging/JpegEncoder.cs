using SkiaSharp;

namespace MedServe.Imaging;

/// <summary>
/// Encodes JPEG the way Pillow's <c>save(format="JPEG", quality=q)</c> does by default: baseline, libjpeg
/// standard tables scaled by quality, 4:2:0 chroma subsampling for colour, one gray component for gray.
/// </summary>
/// <remarks>
/// Skia drives libjpeg-turbo with the same <c>jpeg_set_quality(q, force_baseline)</c> call and the same default
/// (islow) DCT as Pillow; headers (JFIF density, markers) may differ, the coded image data is meant not to.
/// </remarks>
public static class JpegEncoder
{
    /// <summary>Encodes an RGB or gray image.</summary>
    /// <param name="image">An <see cref="PixelFormat.Rgb8"/> or <see cref="PixelFormat.Gray8"/> image.</param>
    /// <param name="quality">JPEG quality, 1 to 100 (Pillow's default is 75).</param>
    /// <returns>The JPEG file bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="quality"/> is outside 1..100.</exception>
    /// <exception cref="ArgumentException">The image is neither RGB nor gray; convert it first (<see cref="ImageConverter"/>).</exception>
    public static byte[] Encode(PixelBuffer image, int quality)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);

        if (image.Format is not (PixelFormat.Rgb8 or PixelFormat.Gray8))
        {
            throw new ArgumentException($"Expected Rgb8 or Gray8, got {image.Format}.", nameof(image));
        }

        var options = new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore);
        return SkiaPixels.Encode(image, pixmap => pixmap.Encode(options), "JPEG");
    }
}
