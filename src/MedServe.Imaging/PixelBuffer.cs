namespace MedServe.Imaging;

/// <summary>
/// An 8-bit image held row-major with interleaved channels and no row padding:
/// the sample for channel <c>c</c> of pixel (<c>x</c>, <c>y</c>) is at
/// <c>(y * Width + x) * Channels + c</c>.
/// </summary>
public sealed class PixelBuffer
{
    /// <summary>Allocates a zeroed buffer.</summary>
    /// <param name="width">Width in pixels; at least 1.</param>
    /// <param name="height">Height in pixels; at least 1.</param>
    /// <param name="format">The sample layout.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is below 1 or the buffer would exceed <see cref="Array.MaxLength"/> bytes.</exception>
    public PixelBuffer(int width, int height, PixelFormat format)
        : this(width, height, format, new byte[CheckedLength(width, height, format)])
    {
    }

    /// <summary>Wraps existing samples without copying them.</summary>
    /// <param name="width">Width in pixels; at least 1.</param>
    /// <param name="height">Height in pixels; at least 1.</param>
    /// <param name="format">The sample layout.</param>
    /// <param name="data">Exactly <c>width * height * channels</c> bytes; the buffer takes ownership.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> has the wrong length.</exception>
    public PixelBuffer(int width, int height, PixelFormat format, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        long length = CheckedLength(width, height, format);
        if (data.Length != length)
        {
            throw new ArgumentException($"Expected {length} bytes for {width}x{height} {format}, got {data.Length}.", nameof(data));
        }

        Width = width;
        Height = height;
        Format = format;
        Data = data;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The sample layout.</summary>
    public PixelFormat Format { get; }

    /// <summary>The samples, row-major and interleaved, with no row padding.</summary>
    public byte[] Data { get; }

    /// <summary>Samples per pixel for <see cref="Format"/>.</summary>
    public int Channels => ChannelCount(Format);

    /// <summary>Bytes per row: <c>Width * Channels</c>.</summary>
    public int Stride => Width * Channels;

    /// <summary>The samples as a span.</summary>
    public Span<byte> Span => Data;

    /// <summary>Samples per pixel for a format.</summary>
    /// <param name="format">The sample layout.</param>
    /// <returns>1, 2, 3 or 4.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not defined.</exception>
    public static int ChannelCount(PixelFormat format) => format switch
    {
        PixelFormat.Gray8 => 1,
        PixelFormat.GrayAlpha8 => 2,
        PixelFormat.Rgb8 => 3,
        PixelFormat.Rgba8 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown pixel format."),
    };

    /// <summary>The sample row <paramref name="y"/>.</summary>
    /// <param name="y">Row index, 0-based.</param>
    /// <returns>A span of <see cref="Stride"/> bytes.</returns>
    public Span<byte> Row(int y) => Data.AsSpan(y * Stride, Stride);

    private static int CheckedLength(int width, int height, PixelFormat format)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        long length = (long)width * height * ChannelCount(format);
        if (length > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"{width}x{height} {format} does not fit in one array.");
        }

        return (int)length;
    }
}
