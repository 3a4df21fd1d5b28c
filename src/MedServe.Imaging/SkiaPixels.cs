using System.Runtime.InteropServices;
using SkiaSharp;

namespace MedServe.Imaging;

/// <summary>Hands a <see cref="PixelBuffer"/> to Skia's encoders, which take gray or 32-bit pixels but not packed RGB.</summary>
internal static class SkiaPixels
{
    /// <summary>Encodes a gray, RGB or RGBA image with <paramref name="encode"/>, which gets a pixmap over pinned pixels.</summary>
    /// <param name="image">The image: Gray8 as is, Rgb8 expanded to opaque RGBA, Rgba8 as unpremultiplied RGBA.</param>
    /// <param name="encode">Encodes the pixmap; returns null when Skia refuses.</param>
    /// <param name="format">The format's name for the error message.</param>
    public static byte[] Encode(PixelBuffer image, Func<SKPixmap, SKData?> encode, string format)
    {
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
            case PixelFormat.Rgba8:
                pixels = image.Data;
                info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
                break;
            default:
                throw new ArgumentException($"Expected Gray8, Rgb8 or Rgba8, got {image.Format}.", nameof(image));
        }

        GCHandle pin = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, pin.AddrOfPinnedObject(), info.RowBytes);
            using SKData? data = encode(pixmap);
            return data?.ToArray() ?? throw new InvalidOperationException($"Skia could not encode the {format}.");
        }
        finally
        {
            pin.Free();
        }
    }
}
