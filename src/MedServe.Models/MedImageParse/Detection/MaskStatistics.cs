namespace MedServe.Models.MedImageParse.Detection;

/// <summary>
/// The four statistics of a predicted mask that the existence test compares with the Beta distributions
/// of <c>target_dist.json</c>, in this order: the mean mask value, and the mean red, green and blue of
/// the image, over the pixels the mask covers, each divided by 256.
/// </summary>
/// <remarks>
/// The reference (BiomedParse <c>mask_stats</c>) works on <c>mask = probability × 255</c> (float32, not
/// truncated): when no mask value reaches 128 all four statistics are 0; otherwise the pixels with
/// <c>mask ≥ 128</c> are selected and the statistics are <c>mean(mask)/256</c>, <c>mean(R)/256</c>,
/// <c>mean(G)/256</c> and <c>mean(B)/256</c> over them. The first statistic is therefore the mean mask
/// value under the mask, not a foreground fraction.
/// </remarks>
/// <param name="MeanMaskValue">Mean of <c>probability × 255</c> over the selected pixels, / 256.</param>
/// <param name="MeanRed">Mean red (0–255) over the selected pixels, / 256.</param>
/// <param name="MeanGreen">Mean green (0–255) over the selected pixels, / 256.</param>
/// <param name="MeanBlue">Mean blue (0–255) over the selected pixels, / 256.</param>
public readonly record struct MaskStatistics(double MeanMaskValue, double MeanRed, double MeanGreen, double MeanBlue)
{
    /// <summary>The number of statistics. <value>The value is 4.</value></summary>
    public const int Count = 4;

    /// <summary>Whether the mask selected no pixel, so that every statistic is 0.</summary>
    public bool IsEmpty => this == default;

    /// <summary>The statistic at <paramref name="index"/> (0 to 3), in the order of the parameters.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not 0 to 3.</exception>
    public double this[int index] => index switch
    {
        0 => MeanMaskValue,
        1 => MeanRed,
        2 => MeanGreen,
        3 => MeanBlue,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "A mask has four statistics, 0 to 3."),
    };

    /// <summary>Computes the statistics of a mask over the image it was predicted for.</summary>
    /// <param name="probability">The mask probability per pixel, in [0, 1], H·W values row-major.</param>
    /// <param name="rgb">The image as interleaved RGB bytes, H·W·3 values, same geometry.</param>
    /// <returns>
    /// The statistics, or all zeros when no pixel has <c>probability × 255 ≥ 128</c>. That includes masks
    /// whose largest value lies in (127, 128), where the reference averages an empty selection and gets NaN;
    /// such a mask is empty to every client that thresholds its uint8 values at 127.
    /// </returns>
    /// <exception cref="ArgumentException">The spans are empty or their lengths do not match.</exception>
    public static MaskStatistics Compute(ReadOnlySpan<float> probability, ReadOnlySpan<byte> rgb)
    {
        if (probability.IsEmpty)
        {
            throw new ArgumentException("The mask has no pixels.", nameof(probability));
        }

        if (rgb.Length != probability.Length * 3)
        {
            throw new ArgumentException(
                $"The image has {rgb.Length} bytes; a mask of {probability.Length} pixels needs {probability.Length * 3} (RGB).",
                nameof(rgb));
        }

        double maskSum = 0;
        long redSum = 0;
        long greenSum = 0;
        long blueSum = 0;
        long selected = 0;
        for (int i = 0; i < probability.Length; i++)
        {
            // float32 like the reference's probability × 255, so the ≥ 128 test flips at the same pixels.
            float mask = probability[i] * 255f;
            if (mask >= 128f)
            {
                maskSum += mask;
                int pixel = i * 3;
                redSum += rgb[pixel];
                greenSum += rgb[pixel + 1];
                blueSum += rgb[pixel + 2];
                selected++;
            }
        }

        if (selected == 0)
        {
            return default;
        }

        // Integer sums make the colour means exact, as numpy's float64 mean of uint8 is.
        double count = selected;
        return new MaskStatistics(
            maskSum / count / 256,
            redSum / count / 256,
            greenSum / count / 256,
            blueSum / count / 256);
    }
}
