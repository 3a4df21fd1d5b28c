namespace MedServe.Imaging.Overlays;

/// <summary>
/// N probability masks of one geometry, as a segmentation model returns them: uint8 values
/// (probability × 255) in C order <c>[N, H, W]</c>, so mask <c>i</c>'s pixel (<c>x</c>, <c>y</c>) is at
/// <c>(i * Height + y) * Width + x</c>.
/// </summary>
public sealed class MaskStack
{
    /// <summary>The lowest value drawn as inside a mask: clients threshold the probability at &gt; 127.</summary>
    public const byte Threshold = 128;

    private readonly byte[] _data;

    /// <summary>Wraps the samples without copying them.</summary>
    /// <param name="count">N, the number of masks; at least 1.</param>
    /// <param name="height">H; at least 1.</param>
    /// <param name="width">W; at least 1.</param>
    /// <param name="data">Exactly N·H·W bytes; the stack takes ownership.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> does not hold N·H·W bytes.</exception>
    public MaskStack(int count, int height, int width, byte[] data)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentNullException.ThrowIfNull(data);
        if ((long)count * height * width != data.Length)
        {
            throw new ArgumentException($"Expected {(long)count * height * width} bytes for [{count}, {height}, {width}], got {data.Length}.", nameof(data));
        }

        Count = count;
        Height = height;
        Width = width;
        _data = data;
    }

    /// <summary>N, the number of masks.</summary>
    public int Count { get; }

    /// <summary>H, the height of every mask.</summary>
    public int Height { get; }

    /// <summary>W, the width of every mask.</summary>
    public int Width { get; }

    /// <summary>The samples of mask <paramref name="index"/>, row-major.</summary>
    /// <param name="index">0-based, below <see cref="Count"/>.</param>
    /// <returns>H·W bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public ReadOnlySpan<byte> Mask(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        int length = Height * Width;
        return _data.AsSpan(index * length, length);
    }

    /// <summary>How many pixels of mask <paramref name="index"/> are inside (value ≥ <see cref="Threshold"/>).</summary>
    /// <param name="index">0-based, below <see cref="Count"/>.</param>
    /// <returns>The pixel count.</returns>
    public int InsideCount(int index)
    {
        int inside = 0;
        foreach (byte value in Mask(index))
        {
            if (value >= Threshold)
            {
                inside++;
            }
        }

        return inside;
    }
}
