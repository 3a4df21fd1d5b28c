namespace MedServe.Imaging;

/// <summary>Limits applied by <see cref="ImageDecoder.Decode"/> before any pixel memory is allocated.</summary>
public sealed record ImageDecodeOptions
{
    private readonly long _maxPixels = 178_956_970;
    private readonly int _maxSide = 65_535;

    /// <summary>The default options.</summary>
    public static ImageDecodeOptions Default { get; } = new();

    /// <summary>The largest accepted <c>width * height</c>.</summary>
    /// <value>
    /// The default is 178,956,970: Pillow's decompression-bomb error threshold
    /// (twice <c>Image.MAX_IMAGE_PIXELS</c>), above which Pillow refuses to open an image.
    /// </value>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public long MaxPixels
    {
        get => _maxPixels;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxPixels = value;
        }
    }

    /// <summary>The largest accepted width or height, in pixels.</summary>
    /// <value>The default is 65,535.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int MaxSide
    {
        get => _maxSide;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxSide = value;
        }
    }
}
