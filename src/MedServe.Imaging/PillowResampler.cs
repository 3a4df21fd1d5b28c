using System.Buffers;

namespace MedServe.Imaging;

/// <summary>
/// Reproduces Pillow's 8-bit <c>Image.resize</c> bit for bit.
/// </summary>
/// <remarks>
/// <code>
///  source ─► [premultiply alpha] ─► horizontal pass ─► clip to uint8 ─► vertical pass ─► [unpremultiply] ─► result
///            (Rgba8, GrayAlpha8;     (only if width     (Pillow stores    (only if height
///             not for Nearest)         changes)           the interim)      changes)
/// </code>
/// Convolution follows Pillow's <c>Resample.c</c>: pixel centres at <c>i + 0.5</c>, filter support widened by
/// the downscale factor (antialiasing), weights normalised to sum 1 and then rounded to 22-bit fixed point,
/// each sum started at one half and shifted back with saturation. Nearest follows Pillow's affine
/// nearest-neighbour path, which steps the source coordinate by repeated addition.
/// </remarks>
public static class PillowResampler
{
    private const int MaxPooledInterim = 1 << 20;

    /// <summary>
    /// The filter Pillow actually applies: it resizes palette (mode <c>P</c>) images with nearest-neighbour
    /// whatever filter is asked for, so a palette image expanded by <see cref="ImageDecoder"/> must be resized
    /// with <see cref="ResampleFilter.Nearest"/> to match the hosted service.
    /// </summary>
    /// <param name="image">The decoded image.</param>
    /// <param name="requested">The filter the pipeline asks for.</param>
    /// <returns><see cref="ResampleFilter.Nearest"/> for palette images, otherwise <paramref name="requested"/>.</returns>
    public static ResampleFilter EffectiveFilter(DecodedImage image, ResampleFilter requested)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.IsPalette ? ResampleFilter.Nearest : requested;
    }

    /// <summary>Resizes as Pillow's <c>Image.resize((width, height), filter)</c> does for the same mode.</summary>
    /// <param name="source">The image to resize; not modified.</param>
    /// <param name="width">Output width; at least 1.</param>
    /// <param name="height">Output height; at least 1.</param>
    /// <param name="filter">The filter. For a palette source, pass <see cref="EffectiveFilter"/>'s answer.</param>
    /// <returns>A new buffer in the source's format (a copy when the size is unchanged, as in Pillow).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1 or the filter is unknown.</exception>
    public static PixelBuffer Resize(PixelBuffer source, int width, int height, ResampleFilter filter)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (!Enum.IsDefined(filter))
        {
            throw new ArgumentOutOfRangeException(nameof(filter), filter, "Unknown filter.");
        }

        if (width == source.Width && height == source.Height)
        {
            return new PixelBuffer(width, height, source.Format, (byte[])source.Data.Clone());
        }

        if (filter == ResampleFilter.Nearest)
        {
            return ResizeNearest(source, width, height);
        }

        bool hasAlpha = source.Format is PixelFormat.Rgba8 or PixelFormat.GrayAlpha8;
        PixelBuffer input = source;
        if (hasAlpha)
        {
            input = new PixelBuffer(source.Width, source.Height, source.Format, (byte[])source.Data.Clone());
            AlphaMath.Premultiply(input.Data, input.Channels);
        }

        PixelBuffer output = Convolve(input, width, height, filter);
        if (hasAlpha)
        {
            AlphaMath.Unpremultiply(output.Data, output.Channels);
        }

        return output;
    }

    private static PixelBuffer Convolve(PixelBuffer input, int width, int height, ResampleFilter filter)
    {
        int channels = input.Channels;
        bool horizontal = width != input.Width;
        bool vertical = height != input.Height;

        if (!vertical)
        {
            var result = new PixelBuffer(width, input.Height, input.Format);
            ConvolveRows(input.Data, input.Width, result.Data, width, 0, input.Height, channels, ResampleKernel.Create(input.Width, width, filter));
            return result;
        }

        ResampleKernel rows = ResampleKernel.Create(input.Height, height, filter);
        if (!horizontal)
        {
            var result = new PixelBuffer(width, height, input.Format);
            ConvolveColumns(input.Data, result.Data, width * channels, rows, 0);
            return result;
        }

        // Like Pillow, run the horizontal pass only over the source rows the vertical pass will read.
        int firstRow = rows.First[0];
        int lastRow = rows.First[height - 1] + rows.Count[height - 1];
        int interimRows = lastRow - firstRow;
        int interimStride = width * channels;
        // A large interim (a 4800-row source: 7 MB) is a plain array that dies with the request: the shared
        // pool would park one per thread that ever resized a large image (its per-thread slots).
        int interimLength = interimRows * interimStride;
        bool pooled = interimLength <= MaxPooledInterim;
        byte[] interim = pooled ? ArrayPool<byte>.Shared.Rent(interimLength) : new byte[interimLength];
        try
        {
            ConvolveRows(input.Data.AsSpan(firstRow * input.Stride), input.Width, interim, width, 0, interimRows, channels, ResampleKernel.Create(input.Width, width, filter));
            var result = new PixelBuffer(width, height, input.Format);
            ConvolveColumns(interim, result.Data, interimStride, rows, firstRow);
            return result;
        }
        finally
        {
            if (pooled)
            {
                ArrayPool<byte>.Shared.Return(interim);
            }
        }
    }

    private static void ConvolveRows(ReadOnlySpan<byte> src, int srcWidth, Span<byte> dst, int dstWidth, int firstRow, int rowCount, int channels, ResampleKernel kernel)
    {
        int srcStride = srcWidth * channels;
        int dstStride = dstWidth * channels;
        int taps = kernel.Taps;
        ReadOnlySpan<int> weights = kernel.Weights;
        const int Half = 1 << (ResampleKernel.PrecisionBits - 1);
        for (int y = firstRow; y < firstRow + rowCount; y++)
        {
            ReadOnlySpan<byte> srcRow = src.Slice(y * srcStride, srcStride);
            Span<byte> dstRow = dst.Slice(y * dstStride, dstStride);
            for (int x = 0; x < dstWidth; x++)
            {
                ReadOnlySpan<int> k = weights.Slice(x * taps, kernel.Count[x]);
                ReadOnlySpan<byte> window = srcRow.Slice(kernel.First[x] * channels, k.Length * channels);
                Span<byte> px = dstRow.Slice(x * channels, channels);

                // One loop per channel count keeps the sums in registers; this pass dominates downscales.
                switch (channels)
                {
                    case 1:
                        {
                            int s0 = Half;
                            for (int i = 0; i < k.Length; i++)
                            {
                                s0 += window[i] * k[i];
                            }

                            px[0] = Clip8(s0);
                            break;
                        }

                    case 2:
                        {
                            int s0 = Half, s1 = Half;
                            for (int i = 0, j = 0; i < k.Length; i++, j += 2)
                            {
                                int w = k[i];
                                s0 += window[j] * w;
                                s1 += window[j + 1] * w;
                            }

                            px[0] = Clip8(s0);
                            px[1] = Clip8(s1);
                            break;
                        }

                    case 3:
                        {
                            int s0 = Half, s1 = Half, s2 = Half;
                            for (int i = 0, j = 0; i < k.Length; i++, j += 3)
                            {
                                int w = k[i];
                                s0 += window[j] * w;
                                s1 += window[j + 1] * w;
                                s2 += window[j + 2] * w;
                            }

                            px[0] = Clip8(s0);
                            px[1] = Clip8(s1);
                            px[2] = Clip8(s2);
                            break;
                        }

                    default:
                        {
                            int s0 = Half, s1 = Half, s2 = Half, s3 = Half;
                            for (int i = 0, j = 0; i < k.Length; i++, j += 4)
                            {
                                int w = k[i];
                                s0 += window[j] * w;
                                s1 += window[j + 1] * w;
                                s2 += window[j + 2] * w;
                                s3 += window[j + 3] * w;
                            }

                            px[0] = Clip8(s0);
                            px[1] = Clip8(s1);
                            px[2] = Clip8(s2);
                            px[3] = Clip8(s3);
                            break;
                        }
                }
            }
        }
    }

    private static void ConvolveColumns(ReadOnlySpan<byte> src, Span<byte> dst, int stride, ResampleKernel kernel, int rowOffset)
    {
        int height = kernel.First.Length;
        int taps = kernel.Taps;
        ReadOnlySpan<int> weights = kernel.Weights;
        const int Half = 1 << (ResampleKernel.PrecisionBits - 1);
        int[] sums = ArrayPool<int>.Shared.Rent(stride);
        try
        {
            Span<int> acc = sums.AsSpan(0, stride);
            for (int y = 0; y < height; y++)
            {
                // Row-at-a-time accumulation keeps memory access sequential; integer addition is
                // associative, so the result equals Pillow's per-pixel loop.
                acc.Fill(Half);
                ReadOnlySpan<int> k = weights.Slice(y * taps, kernel.Count[y]);
                int start = kernel.First[y] - rowOffset;
                for (int i = 0; i < k.Length; i++)
                {
                    int w = k[i];
                    ReadOnlySpan<byte> srcRow = src.Slice((start + i) * stride, stride);
                    for (int j = 0; j < stride; j++)
                    {
                        acc[j] += srcRow[j] * w;
                    }
                }

                Span<byte> dstRow = dst.Slice(y * stride, stride);
                for (int j = 0; j < stride; j++)
                {
                    dstRow[j] = Clip8(acc[j]);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(sums);
        }
    }

    private static byte Clip8(int sum)
    {
        int v = sum >> ResampleKernel.PrecisionBits;
        return v < 0 ? (byte)0 : v > 255 ? (byte)255 : (byte)v;
    }

    private static PixelBuffer ResizeNearest(PixelBuffer source, int width, int height)
    {
        int channels = source.Channels;
        var result = new PixelBuffer(width, height, source.Format);
        int[] columns = NearestMap(source.Width, width);
        int[] rows = NearestMap(source.Height, height);
        ReadOnlySpan<byte> src = source.Data;
        Span<byte> dst = result.Data;
        int dstStride = result.Stride;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> srcRow = src.Slice(rows[y] * source.Stride, source.Stride);
            Span<byte> dstRow = dst.Slice(y * dstStride, dstStride);
            for (int x = 0; x < width; x++)
            {
                srcRow.Slice(columns[x] * channels, channels).CopyTo(dstRow.Slice(x * channels, channels));
            }
        }

        return result;
    }

    /// <summary>
    /// Pillow's nearest mapping (<c>ImagingScaleAffine</c>): the source coordinate starts at half a step and
    /// advances by repeated double addition, then truncates. Repeated addition, not multiplication, is what
    /// Pillow does, and the two differ for some sizes.
    /// </summary>
    internal static int[] NearestMap(int inSize, int outSize)
    {
        double step = (double)inSize / outSize;
        double position = step * 0.5;
        var map = new int[outSize];
        for (int i = 0; i < outSize; i++)
        {
            int index = position < 0.0 ? -1 : (int)position;
            map[i] = Math.Clamp(index, 0, inSize - 1);
            position += step;
        }

        return map;
    }
}
