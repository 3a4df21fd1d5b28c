using System.Buffers;
using System.Numerics.Tensors;

namespace MedServe.Models.MedImageParse;

/// <summary>
/// Turns one query's mask logits into probabilities at the output geometry, as BiomedParse does with
/// <c>F.interpolate(mode="bilinear", align_corners=False)</c> followed by <c>sigmoid</c>:
/// <code>
/// logits [Mh, Mw] ─► horizontal pass: every source row at the output columns ─► [Mh, width]
///                 ─► vertical pass per output row: λ0·row(i0) + λ1·row(i1) ─► sigmoid ─► [height, width]
/// </code>
/// The output may be a window of a larger target geometry (<c>fullHeight × fullWidth</c>, starting at
/// <c>top, left</c>), which maps masks of a padded square straight back to the un-padded image without
/// computing the padding. Source positions follow PyTorch: <c>src = max(0, (dst + 0.5)·in/out − 0.5)</c> in
/// float, neighbours <c>⌊src⌋</c> and the next one clamped to the edge.
/// </summary>
internal static class MaskResampler
{
    /// <summary>Writes sigmoid(bilinear(logits)) for the window into <paramref name="probability"/> (height·width, row-major).</summary>
    public static void Resample(
        ReadOnlySpan<float> logits, int maskHeight, int maskWidth,
        int fullHeight, int fullWidth, int top, int left, int height, int width,
        Span<float> probability)
    {
        if (logits.Length != maskHeight * maskWidth)
        {
            throw new ArgumentException("The logits do not match the mask size.", nameof(logits));
        }

        if (top < 0 || left < 0 || height < 1 || width < 1 || top + height > fullHeight || left + width > fullWidth)
        {
            throw new ArgumentOutOfRangeException(nameof(height), "The window is not inside the target geometry.");
        }

        if (probability.Length != height * width)
        {
            throw new ArgumentException("The destination does not match the window.", nameof(probability));
        }

        int[] columns = ArrayPool<int>.Shared.Rent(2 * width);
        float[] columnWeights = ArrayPool<float>.Shared.Rent(2 * width);
        float[] rows = ArrayPool<float>.Shared.Rent(maskHeight * width);
        try
        {
            for (int x = 0; x < width; x++)
            {
                (columns[2 * x], columns[(2 * x) + 1], columnWeights[2 * x], columnWeights[(2 * x) + 1]) = Source(left + x, maskWidth, fullWidth);
            }

            // The horizontal pass for every source row the window can touch; all of them in practice.
            for (int r = 0; r < maskHeight; r++)
            {
                var source = logits.Slice(r * maskWidth, maskWidth);
                var destination = rows.AsSpan(r * width, width);
                for (int x = 0; x < width; x++)
                {
                    destination[x] = (columnWeights[2 * x] * source[columns[2 * x]]) + (columnWeights[(2 * x) + 1] * source[columns[(2 * x) + 1]]);
                }
            }

            for (int y = 0; y < height; y++)
            {
                (int i0, int i1, float w0, float w1) = Source(top + y, maskHeight, fullHeight);
                var output = probability.Slice(y * width, width);
                TensorPrimitives.Multiply(rows.AsSpan(i0 * width, width), w0, output);
                TensorPrimitives.MultiplyAdd(rows.AsSpan(i1 * width, width), w1, output, output);
                TensorPrimitives.Sigmoid(output, output);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(columns);
            ArrayPool<float>.Shared.Return(columnWeights);
            ArrayPool<float>.Shared.Return(rows);
        }
    }

    /// <summary>Probabilities to the wire's uint8: <c>(p · 255).astype(uint8)</c>, i.e. truncated.</summary>
    public static void ToBytes(ReadOnlySpan<float> probability, Span<byte> destination)
    {
        if (destination.Length != probability.Length)
        {
            throw new ArgumentException("The destination does not match the probabilities.", nameof(destination));
        }

        float[] scaled = ArrayPool<float>.Shared.Rent(Math.Min(probability.Length, 65536));
        try
        {
            for (int start = 0; start < probability.Length; start += scaled.Length)
            {
                int count = Math.Min(scaled.Length, probability.Length - start);
                var chunk = scaled.AsSpan(0, count);
                TensorPrimitives.Multiply(probability.Slice(start, count), 255f, chunk);
                TensorPrimitives.ConvertTruncating(chunk, destination.Slice(start, count));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scaled);
        }
    }

    /// <summary>The two source indices and weights of output index <paramref name="destination"/>.</summary>
    internal static (int I0, int I1, float W0, float W1) Source(int destination, int inputSize, int outputSize)
    {
        float scale = (float)inputSize / outputSize;
        float source = (scale * (destination + 0.5f)) - 0.5f;
        if (source < 0f)
        {
            source = 0f;
        }

        int i0 = (int)source;
        int i1 = i0 < inputSize - 1 ? i0 + 1 : i0;
        float w1 = source - i0;
        return (i0, i1, 1f - w1, w1);
    }
}
