namespace MedServe.Imaging;

/// <summary>Limits applied by <see cref="ImageDecoder.Decode"/> before any pixel memory is allocated.</summary>
public sealed record ImageDecodeOptions
{
    /// <summary>The default options.</summary>
    public static ImageDecodeOptions Default { get; } = new();

    /// <summary>The largest accepted <c>width * height</c>.</summary>
    /// <value>
    /// The default is 178,956,970: Pillow's decompression-bomb error threshold
    /// (twice <c>Image.MAX_IMAGE_PIXELS</c>), above which Pillow refuses to open an image.
    /// </value>
    public long MaxPixels { get; init; } = 178_956_970;

    /// <summary>The largest accepted width or height, in pixels.</summary>
    /// <value>The default is 65,535.</value>
    public int MaxSide { get; init; } = 65_535;
}
