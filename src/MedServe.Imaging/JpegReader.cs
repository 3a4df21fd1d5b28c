using System.Buffers;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace MedServe.Imaging;

/// <summary>Decodes JPEG through Skia's libjpeg-turbo, without colour management or EXIF rotation (as Pillow).</summary>
internal static class JpegReader
{
    internal const string CorruptMessage = "truncated or corrupt JPEG data";

    public static DecodedImage Decode(ReadOnlySpan<byte> bytes, ImageDecodeOptions options)
    {
        using SKData data = SKData.CreateCopy(bytes);
        using SKCodec? codec = SKCodec.Create(data);
        if (codec is null)
        {
            throw new ImageDecodeException(CorruptMessage);
        }

        SKImageInfo header = codec.Info;
        ImageDecoder.CheckLimits(header.Width, header.Height, options);

        if (header.ColorType == SKColorType.Gray8)
        {
            var gray = new PixelBuffer(header.Width, header.Height, PixelFormat.Gray8);
            var info = new SKImageInfo(header.Width, header.Height, SKColorType.Gray8, SKAlphaType.Opaque);
            DecodeInto(codec, info, gray.Data);

            return new DecodedImage(gray, ImageFormat.Jpeg, IsPalette: false, SourceBitDepth: 8);
        }

        // Skia has no 24-bit colour type: decode to RGBA, then drop the (opaque) alpha.
        if ((long)header.Width * header.Height * 4 > Array.MaxLength)
        {
            throw new ImageDecodeException($"image is {header.Width} × {header.Height} pixels; too large to decode");
        }

        var rgb = new PixelBuffer(header.Width, header.Height, PixelFormat.Rgb8);
        int pixelCount = header.Width * header.Height;
        byte[] rgba = ArrayPool<byte>.Shared.Rent(pixelCount * 4);
        try
        {
            var info = new SKImageInfo(header.Width, header.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            DecodeInto(codec, info, rgba);

            ReadOnlySpan<byte> src = rgba.AsSpan(0, pixelCount * 4);
            Span<byte> dst = rgb.Data;
            for (int i = 0, j = 0; j < dst.Length; i += 4, j += 3)
            {
                dst[j] = src[i];
                dst[j + 1] = src[i + 1];
                dst[j + 2] = src[i + 2];
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgba);
        }

        return new DecodedImage(rgb, ImageFormat.Jpeg, IsPalette: false, SourceBitDepth: 8);
    }

    private static void DecodeInto(SKCodec codec, SKImageInfo info, byte[] target)
    {
        GCHandle pin = GCHandle.Alloc(target, GCHandleType.Pinned);
        try
        {
            Check(codec.GetPixels(info, pin.AddrOfPinnedObject()));
        }
        finally
        {
            pin.Free();
        }
    }

    private static void Check(SKCodecResult result)
    {
        // Pillow refuses truncated JPEGs ("image file is truncated"); Skia would pad them with gray.
        if (result != SKCodecResult.Success)
        {
            throw new ImageDecodeException(CorruptMessage);
        }
    }
}
