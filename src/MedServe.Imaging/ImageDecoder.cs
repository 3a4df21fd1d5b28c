namespace MedServe.Imaging;

/// <summary>
/// Decodes PNG and JPEG bytes into 8-bit <see cref="PixelBuffer"/>s that hold exactly what Pillow's
/// <c>Image.open(...)</c> would hold for the same bytes (mode for mode), so later stages can match the
/// hosted service.
/// </summary>
/// <remarks>
/// <para>The format is sniffed from magic bytes, never from a name or content type.</para>
/// <para>
/// PNG keeps its colour model: gray → <see cref="PixelFormat.Gray8"/>, gray+alpha →
/// <see cref="PixelFormat.GrayAlpha8"/>, RGB → <see cref="PixelFormat.Rgb8"/>, RGBA →
/// <see cref="PixelFormat.Rgba8"/> with alpha unpremultiplied exactly as stored, palette →
/// <see cref="PixelFormat.Rgb8"/> (or <see cref="PixelFormat.Rgba8"/> with a <c>tRNS</c> chunk) and
/// <see cref="DecodedImage.IsPalette"/> set. Gray below 8 bits is scaled to 0–255 (a 1-bit 1 becomes 255).
/// A <c>tRNS</c> colour key on a gray or RGB image is ignored, as Pillow keeps such images in mode
/// <c>L</c>/<c>RGB</c>.
/// </para>
/// <para>
/// 16-bit samples are reduced to 8 bits by rounding <c>v / 257</c>, so 65535 maps to 255 and every level to
/// its nearest 8-bit level. This deliberately departs from the hosted service's Pillow path: Pillow opens
/// 16-bit gray as 32-bit mode <c>I</c> and its <c>convert("RGB")</c> clips at 255, which turns almost the whole
/// image white; for 16-bit RGB, gray+alpha and RGBA Pillow keeps the high byte (<c>v &gt;&gt; 8</c>), which
/// differs from rounding by at most one level. (Pillow also opens 16-bit gray+alpha as <c>RGBA</c>; as
/// <see cref="PixelFormat.GrayAlpha8"/> it resizes and converts to RGB to the same values.)
/// </para>
/// <para>JPEG (baseline and progressive) is decoded by Skia's libjpeg-turbo; gray JPEGs stay gray.</para>
/// <para>
/// Dimensions are checked against <see cref="ImageDecodeOptions"/> from the header, before any pixel memory
/// is allocated.
/// </para>
/// </remarks>
public static class ImageDecoder
{
    internal const string UnknownFormatMessage = "not a PNG or JPEG image";

    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Identifies the format from magic bytes.</summary>
    /// <param name="bytes">The encoded image, or at least its first 8 bytes.</param>
    /// <returns>The format, or <see langword="null"/> when it is neither PNG nor JPEG.</returns>
    public static ImageFormat? Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(PngSignature))
        {
            return ImageFormat.Png;
        }

        if (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
        {
            return ImageFormat.Jpeg;
        }

        return null;
    }

    /// <summary>Decodes a PNG or JPEG image.</summary>
    /// <param name="bytes">The encoded image.</param>
    /// <param name="options">Size limits; <see cref="ImageDecodeOptions.Default"/> when in doubt.</param>
    /// <returns>The pixels and what the source said about itself.</returns>
    /// <exception cref="ImageDecodeException">
    /// The bytes are not PNG or JPEG, are truncated or corrupt, or describe an image over the limits. The message
    /// is safe to show to a client.
    /// </exception>
    public static DecodedImage Decode(ReadOnlySpan<byte> bytes, ImageDecodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Sniff(bytes) switch
        {
            ImageFormat.Png => PngReader.Decode(bytes, options),
            ImageFormat.Jpeg => JpegReader.Decode(bytes, options),
            _ => throw new ImageDecodeException(UnknownFormatMessage),
        };
    }

    /// <summary>Throws when a header's dimensions exceed the limits.</summary>
    internal static void CheckLimits(long width, long height, ImageDecodeOptions options)
    {
        if (width * height > options.MaxPixels)
        {
            throw new ImageDecodeException($"image is {width} × {height} pixels; the limit is {options.MaxPixels} pixels");
        }

        if (width > options.MaxSide || height > options.MaxSide)
        {
            throw new ImageDecodeException($"image is {width} × {height} pixels; the limit is {options.MaxSide} pixels per side");
        }
    }
}
