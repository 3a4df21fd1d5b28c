using System.Runtime.InteropServices;
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

        byte[] pixels;
        SKImageInfo info;
        switch (image.Format)
        {
            case PixelFormat.Gray8:
                pixels = image.Data;
                info = new SKImageInfo(image.Width, image.Height, SKColorType.Gray8, SKAlphaType.Opaque);
                break;
            case PixelFormat.Rgb8:
                pixels = new byte[image.Width * image.Height * 4];
                ReadOnlySpan<byte> src = image.Data;
                for (int i = 0, j = 0; i < src.Length; i += 3, j += 4)
                {
                    pixels[j] = src[i];
                    pixels[j + 1] = src[i + 1];
                    pixels[j + 2] = src[i + 2];
                    pixels[j + 3] = 255;
                }

                info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
                break;
            default:
                throw new ArgumentException($"Expected Rgb8 or Gray8, got {image.Format}.", nameof(image));
        }

        var options = new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore);
        GCHandle pin = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, pin.AddrOfPinnedObject(), info.RowBytes);
            using SKData? data = pixmap.Encode(options);
            return data?.ToArray() ?? throw new InvalidOperationException("Skia could not encode the JPEG.");
        }
        finally
        {
            pin.Free();
        }
    }
}
