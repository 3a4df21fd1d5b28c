namespace MedServe.Dicom.Rendering;

/// <summary>
/// Percentiles as numpy's <c>np.percentile</c> computes them with its default <c>method="linear"</c>:
/// for n sorted values a, q = p / 100, h = (n − 1)·q, i = ⌊h⌋, t = h − i, j = min(i + 1, n − 1), the result is
/// numpy's <c>_lerp(a[i], a[j], t)</c>: <c>a[i] + (a[j] − a[i])·t</c> when t &lt; 0.5, else
/// <c>a[j] − (a[j] − a[i])·(1 − t)</c>. Order statistics are found by selection (linear time), not a full sort.
/// </summary>
public static class Percentiles
{
    /// <summary>The <paramref name="lowPercent"/>-th and <paramref name="highPercent"/>-th percentiles of <paramref name="values"/>.</summary>
    /// <param name="values">The values; not modified.</param>
    /// <param name="lowPercent">Lower percentile, 0–100.</param>
    /// <param name="highPercent">Upper percentile, 0–100.</param>
    /// <param name="nonZeroOnly">When true, zeros are left out before the percentiles are taken.</param>
    /// <returns>The two percentiles, or <c>null</c> when no value is left (empty, or all zero with <paramref name="nonZeroOnly"/>).</returns>
    public static (double Low, double High)? Bounds(ReadOnlySpan<double> values, double lowPercent, double highPercent, bool nonZeroOnly)
    {
        CheckPercent(lowPercent, nameof(lowPercent));
        CheckPercent(highPercent, nameof(highPercent));
        double[] scratch = System.Buffers.ArrayPool<double>.Shared.Rent(Math.Max(values.Length, 1));
        try
        {
            int count = values.Length;
            if (nonZeroOnly)
            {
                count = 0;
                foreach (double v in values)
                {
                    if (v != 0)
                    {
                        scratch[count++] = v;
                    }
                }
            }
            else
            {
                values.CopyTo(scratch);
            }

            if (count == 0)
            {
                return null;
            }

            Span<double> selected = scratch.AsSpan(0, count);
            return (Linear(selected, lowPercent), Linear(selected, highPercent));
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(scratch);
        }
    }

    /// <summary>The <paramref name="percent"/>-th percentile of <paramref name="values"/> (numpy linear); reorders the span.</summary>
    /// <param name="values">At least one value, none NaN; reordered in place.</param>
    /// <param name="percent">0–100.</param>
    /// <returns>The percentile.</returns>
    public static double Linear(Span<double> values, double percent)
    {
        CheckPercent(percent, nameof(percent));
        ArgumentOutOfRangeException.ThrowIfZero(values.Length, nameof(values));
        int n = values.Length;
        double h = (n - 1) * (percent / 100);
        double floor = Math.Floor(h);
        double t = h - floor;
        int i = Math.Min((int)floor, n - 1);
        int j = Math.Min(i + 1, n - 1);
        double a = Select(values, i);
        double b = a;
        if (j > i)
        {
            // After selection every value right of i is ≥ a[i], so the next order statistic is their minimum.
            b = values[j];
            foreach (double v in values[j..])
            {
                b = v < b ? v : b;
            }
        }

        double diff = b - a;
        return t >= 0.5 ? b - (diff * (1 - t)) : a + (diff * t);
    }

    /// <summary>Hoare-partition quickselect: afterwards values[k] is the k-th smallest, smaller-or-equal values left of it, greater-or-equal right.</summary>
    private static double Select(Span<double> values, int k)
    {
        int left = 0;
        int right = values.Length - 1;
        while (left < right)
        {
            double pivot = MedianOfThree(values[left], values[left + ((right - left) / 2)], values[right]);
            int i = left;
            int j = right;
            do
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (pivot < values[j])
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }
            while (i <= j);

            if (j < k)
            {
                left = i;
            }

            if (k < i)
            {
                right = j;
            }
        }

        return values[k];
    }

    private static double MedianOfThree(double a, double b, double c) =>
        a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);

    private static void CheckPercent(double percent, string name)
    {
        if (!(percent is >= 0 and <= 100))
        {
            throw new ArgumentOutOfRangeException(name, percent, "A percentile is between 0 and 100.");
        }
    }
}
