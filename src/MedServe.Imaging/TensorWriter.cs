namespace MedServe.Imaging;

/// <summary>Writes images into model input tensors.</summary>
public static class TensorWriter
{
    /// <summary>
    /// Writes an RGB image as one planar CHW float32 tensor: all red samples row-major, then green, then blue,
    /// each value <c>(v · scale − mean[c]) / std[c]</c> evaluated in float32.
    /// </summary>
    /// <remarks>
    /// MedImageInsight uses <c>scale = 1/255</c> with the ImageNet mean and std; MedImageParse uses
    /// <c>scale = 1</c> with mean and std on the 0–255 scale. The 256 possible values per channel are
    /// computed once, so the per-pixel cost is a table lookup.
    /// </remarks>
    /// <param name="rgb">An <see cref="PixelFormat.Rgb8"/> image.</param>
    /// <param name="mean">Three per-channel means (R, G, B).</param>
    /// <param name="std">Three per-channel standard deviations (R, G, B), non-zero.</param>
    /// <param name="scale">Multiplier applied to each 0–255 sample before normalising.</param>
    /// <param name="destination">At least <c>3 · Width · Height</c> floats; the first that many are written.</param>
    /// <exception cref="ArgumentException">The image is not RGB, mean/std do not have 3 entries, or the destination is too short.</exception>
    public static void WriteNchw(PixelBuffer rgb, ReadOnlySpan<float> mean, ReadOnlySpan<float> std, float scale, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        if (rgb.Format != PixelFormat.Rgb8)
        {
            throw new ArgumentException($"Expected Rgb8, got {rgb.Format}.", nameof(rgb));
        }

        if (mean.Length != 3 || std.Length != 3)
        {
            throw new ArgumentException("Mean and std need exactly three entries (R, G, B).", nameof(mean));
        }

        int plane = rgb.Width * rgb.Height;
        if (destination.Length < 3 * plane)
        {
            throw new ArgumentException($"Destination holds {destination.Length} floats; {3 * plane} are needed.", nameof(destination));
        }

        Span<float> table = stackalloc float[3 * 256];
        for (int c = 0; c < 3; c++)
        {
            for (int v = 0; v < 256; v++)
            {
                table[(c * 256) + v] = ((v * scale) - mean[c]) / std[c];
            }
        }

        ReadOnlySpan<byte> src = rgb.Data;
        Span<float> r = destination[..plane];
        Span<float> g = destination.Slice(plane, plane);
        Span<float> b = destination.Slice(2 * plane, plane);
        ReadOnlySpan<float> rt = table[..256];
        ReadOnlySpan<float> gt = table.Slice(256, 256);
        ReadOnlySpan<float> bt = table.Slice(512, 256);
        for (int i = 0, j = 0; i < plane; i++, j += 3)
        {
            r[i] = rt[src[j]];
            g[i] = gt[src[j + 1]];
            b[i] = bt[src[j + 2]];
        }
    }
}
