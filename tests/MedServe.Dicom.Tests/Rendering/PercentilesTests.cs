using MedServe.Dicom.Rendering;

namespace MedServe.Dicom.Tests.Rendering;

public sealed class PercentilesTests
{
    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(25, 1.75)]
    [InlineData(50, 2.5)]
    [InlineData(100, 4.0)]
    public void Linear_FourValues_InterpolatesLikeNumpy(double percent, double expected)
    {
        // numpy: h = (n - 1) * p / 100 between sorted neighbours; [4, 1, 3, 2] sorts to [1, 2, 3, 4].
        double[] values = [4, 1, 3, 2];
        Assert.Equal(expected, Percentiles.Linear(values, percent));
    }

    [Fact]
    public void Linear_SingleValue_IsThatValue()
    {
        Assert.Equal(7.0, Percentiles.Linear(new double[] { 7 }, 99.5));
    }

    [Fact]
    public void Bounds_AllPixels_MatchesHandDerivedNumpyValues()
    {
        // Sorted: [0, 0, 5, 10, 20, 30, 40, 100]. P1: h = 0.07 → 0. P99: h = 6.93 → 40 + 60 * 0.93 = 95.8.
        double[] values = [5, 0, 0, 100, 10, 40, 20, 30];
        (double low, double high) = Percentiles.Bounds(values, 1, 99, nonZeroOnly: false)!.Value;
        Assert.Equal(0.0, low);
        Assert.Equal(95.8, high, 1e-9);
        Assert.Equal([5.0, 0, 0, 100, 10, 40, 20, 30], values);
    }

    [Fact]
    public void Bounds_NonZeroOnly_ExcludesZeros()
    {
        // Non-zero sorted: [5, 10, 20, 30, 40, 100]. P0.5: h = 0.025 → 5.125. P99.5: h = 4.975 → 40 + 60 * 0.975 = 98.5.
        double[] values = [5, 0, 0, 100, 10, 40, 20, 30];
        (double low, double high) = Percentiles.Bounds(values, 0.5, 99.5, nonZeroOnly: true)!.Value;
        Assert.Equal(5.125, low, 1e-9);
        Assert.Equal(98.5, high, 1e-9);
    }

    [Fact]
    public void Bounds_AllZeroNonZeroOnly_IsNull()
    {
        Assert.Null(Percentiles.Bounds(new double[] { 0, 0, 0 }, 1, 99, nonZeroOnly: true));
    }

    [Fact]
    public void Linear_RandomDataWithDuplicates_EqualsSortedReference()
    {
        var random = new Random(1234);
        for (int trial = 0; trial < 200; trial++)
        {
            int n = random.Next(1, 400);
            int distinct = random.Next(1, 20);
            var values = new double[n];
            for (int i = 0; i < n; i++)
            {
                values[i] = random.Next(distinct) - (distinct / 2);
            }

            double[] sorted = [.. values];
            Array.Sort(sorted);
            foreach (double p in new[] { 0, 0.5, 1, 37.3, 50, 99, 99.5, 100 })
            {
                Assert.Equal(SortedReference(sorted, p), Percentiles.Linear((double[])values.Clone(), p));
            }
        }
    }

    [Fact]
    public void Linear_OutOfRangePercent_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Linear(new double[] { 1 }, 100.5));
    }

    // numpy's method="linear" on a fully sorted array, written independently of the selection code.
    private static double SortedReference(double[] sorted, double percent)
    {
        double h = (sorted.Length - 1) * (percent / 100);
        int i = (int)Math.Floor(h);
        int j = Math.Min(i + 1, sorted.Length - 1);
        double t = h - i;
        double diff = sorted[j] - sorted[i];
        return t >= 0.5 ? sorted[j] - (diff * (1 - t)) : sorted[i] + (diff * t);
    }
}
