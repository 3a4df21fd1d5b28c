namespace MedServe.Cli.Bench;

/// <summary>
/// Nearest-rank percentiles: for n sorted values x₁ ≤ … ≤ xₙ, the p-th percentile (0 &lt; p ≤ 100) is
/// x at rank ⌈p/100 · n⌉, so it is always one of the measured values (never interpolated).
/// </summary>
internal static class Percentiles
{
    /// <summary>The nearest-rank percentile of values that are already sorted ascending.</summary>
    public static double NearestRank(ReadOnlySpan<double> sorted, double percent)
    {
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("No values.", nameof(sorted));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);

        // Decimal arithmetic keeps ranks exact where doubles would not (0.95 · 20 = 19.000000000000004).
        long rank = (long)Math.Ceiling((decimal)percent / 100m * sorted.Length);
        return sorted[(int)Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    /// <summary>p50, p95, p99 and the maximum of unsorted values; null when there are none.</summary>
    public static LatencySummary? Summarize(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        ReadOnlySpan<double> sorted = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values);
        return new LatencySummary(NearestRank(sorted, 50), NearestRank(sorted, 95), NearestRank(sorted, 99), sorted[^1]);
    }
}
