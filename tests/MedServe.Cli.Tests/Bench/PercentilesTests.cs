using MedServe.Cli.Bench;

namespace MedServe.Cli.Tests.Bench;

public sealed class PercentilesTests
{
    [Theory]
    [InlineData(5, 15)]
    [InlineData(30, 20)]
    [InlineData(40, 20)]
    [InlineData(50, 35)]
    [InlineData(100, 50)]
    public void NearestRank_WikipediaExample_PicksTheValueAtTheCeilingRank(double percent, double expected)
    {
        // The worked example of the nearest-rank method: 15, 20, 35, 40, 50.
        double[] sorted = [15, 20, 35, 40, 50];
        Assert.Equal(expected, Percentiles.NearestRank(sorted, percent));
    }

    [Theory]
    [InlineData(50, 10)]
    [InlineData(95, 19)]
    [InlineData(99, 20)]
    [InlineData(100, 20)]
    public void NearestRank_OneToTwenty_RanksAreExactWithoutFloatingPointDrift(double percent, double expected)
    {
        // 0.95 · 20 is 19.000000000000004 in doubles; the rank must still be 19.
        double[] sorted = [.. Enumerable.Range(1, 20).Select(i => (double)i)];
        Assert.Equal(expected, Percentiles.NearestRank(sorted, percent));
    }

    [Fact]
    public void Summarize_UnsortedValues_SortsAndReportsP50P95P99AndMax()
    {
        var values = Enumerable.Range(1, 1000).Select(i => (double)((i * 7919) % 1000) + 1).ToList();
        var summary = Percentiles.Summarize(values);
        Assert.Equal(new LatencySummary(500, 950, 990, 1000), summary);
    }

    [Fact]
    public void Summarize_NoValues_IsNull() => Assert.Null(Percentiles.Summarize([]));

    [Fact]
    public void NearestRank_OneValue_IsThatValueForEveryPercentile()
    {
        double[] one = [4.5];
        Assert.Equal(4.5, Percentiles.NearestRank(one, 1));
        Assert.Equal(4.5, Percentiles.NearestRank(one, 99));
    }
}
