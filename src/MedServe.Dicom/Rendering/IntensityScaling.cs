namespace MedServe.Dicom.Rendering;

/// <summary>
/// The scaling the official Python clients do after choosing bounds:
/// <c>((np.clip(x, low, high) − low) / (high − low) * 255).astype(np.uint8)</c>, i.e. truncation toward zero.
/// </summary>
public static class IntensityScaling
{
    /// <summary>
    /// Clips each value to [<paramref name="low"/>, <paramref name="high"/>], then writes
    /// <c>trunc((x − low) / (high − low) × 255)</c>. When <paramref name="high"/> ≤ <paramref name="low"/> (a constant
    /// image) every output is 0 rather than a division by zero.
    /// </summary>
    /// <param name="values">Modality values.</param>
    /// <param name="low">The value that maps to 0.</param>
    /// <param name="high">The value that maps to 255.</param>
    /// <param name="destination">Receives one byte per value.</param>
    public static void ClipAndScale(ReadOnlySpan<double> values, double low, double high, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, values.Length, nameof(destination));
        if (!(high > low))
        {
            destination[..values.Length].Clear();
            return;
        }

        double range = high - low;
        for (int i = 0; i < values.Length; i++)
        {
            double clipped = Math.Clamp(values[i], low, high);
            destination[i] = (byte)((clipped - low) / range * 255);
        }
    }

    /// <summary>The minimum and maximum of <paramref name="values"/>.</summary>
    /// <param name="values">At least one value.</param>
    /// <returns>(minimum, maximum).</returns>
    public static (double Min, double Max) MinMax(ReadOnlySpan<double> values)
    {
        ArgumentOutOfRangeException.ThrowIfZero(values.Length, nameof(values));
        double min = values[0];
        double max = values[0];
        foreach (double v in values)
        {
            min = v < min ? v : min;
            max = v > max ? v : max;
        }

        return (min, max);
    }
}
