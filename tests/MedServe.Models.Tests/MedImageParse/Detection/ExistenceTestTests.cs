using MedServe.Models.MedImageParse.Detection;

namespace MedServe.Models.Tests.MedImageParse.Detection;

public sealed class ExistenceTestTests
{
    private static readonly BetaDistributionParameters Uniform = new(1, 1);

    [Theory]
    // p = 2·min(F, 1 − F): F = 0.5 → 1; F = 0.25 → 0.5; F = 0.75 → 0.5.
    [InlineData(0.5, 1.0)]
    [InlineData(0.25, 0.5)]
    [InlineData(0.75, 0.5)]
    // scipy computes 1 − (2·D − 1) with D = max(1 − F, F): F = 0.9 → D = 0.9 → 1 − 0.8 = 0.19999999999999996,
    // and F = 0.1 → D = fl(1 − 0.1) = 0.9 → the same, not 0.2 (values checked with scipy 1.10.1 ks_1samp).
    [InlineData(0.9, 0.19999999999999996)]
    [InlineData(0.1, 0.19999999999999996)]
    // F = 1e-20: 1 − F rounds to 1, so D = 1 and p = 0 (scipy agrees), where 2F would be 2e-20.
    [InlineData(1e-20, 0.0)]
    [InlineData(0.0, 0.0)]
    [InlineData(1.0, 0.0)]
    public void OneSampleKolmogorovSmirnovPValue_Cdf_MatchesScipy(double cdf, double expected)
    {
        Assert.Equal(expected, ExistenceTest.OneSampleKolmogorovSmirnovPValue(cdf));
    }

    [Fact]
    public void PValue_UniformDistributions_IsGeometricMeanOfFourPValues()
    {
        // Beta(1, 1): F(x) = x. Statistics 0.5, 0.25, 0.75, 0.9 → p = 1, 0.5, 0.5, 0.19999999999999996;
        // product 0.049999999999999989 → ^0.25 = 0.47287080450158786 (scipy/numpy give the same).
        var statistics = new MaskStatistics(0.5, 0.25, 0.75, 0.9);

        double p = ExistenceTest.PValue(statistics, [Uniform, Uniform, Uniform, Uniform]);

        Assert.Equal(0.47287080450158786, p, 1e-15);
    }

    [Fact]
    public void PValue_ClosedFormBetas_MatchHandComputedValue()
    {
        // Beta(2, 1), F = x²: F(0.5) = 0.25 → p = 0.5.
        // Beta(1, 2), F = 1 − (1 − x)²: F(0.5) = 0.75 → p = 0.5.
        // Beta(2, 2), F = 3x² − 2x³: F(0.25) = 0.15625 → p = 0.3125; F(0.5) = 0.5 → p = 1.
        // (0.5 · 0.5 · 0.3125 · 1)^0.25 = 0.078125^0.25 = 0.528685631720282.
        var statistics = new MaskStatistics(0.5, 0.5, 0.25, 0.5);

        double p = ExistenceTest.PValue(statistics, [new(2, 1), new(1, 2), new(2, 2), new(2, 2)]);

        Assert.Equal(0.528685631720282, p, 1e-12);
    }

    [Fact]
    public void PValue_EachStatistic_MeetsItsOwnDistribution()
    {
        // Statistics (0.5, 0.25, 0.5, 0.5) against [Beta(2, 1), U, U, U]:
        // Beta(2, 1) at 0.5 → F = 0.25 → p = 0.5; U at 0.25 → p = 0.5; U at 0.5 → p = 1 twice.
        // (0.5 · 0.5 · 1 · 1)^0.25 = 0.25^0.25 = 0.7071067811865476. Had statistic 1 met Beta(2, 1) instead
        // (F = 0.0625 → p = 0.125) and statistic 0 met U (p = 1), the result would be 0.125^0.25 ≈ 0.5946.
        double p = ExistenceTest.PValue(new MaskStatistics(0.5, 0.25, 0.5, 0.5), [new(2, 1), Uniform, Uniform, Uniform]);

        Assert.Equal(0.7071067811865476, p, 1e-15);
    }

    [Fact]
    public void PValue_EmptyMask_IsZero()
    {
        // All statistics 0: F(0) = 0 for every Beta, so each p is 0.
        double p = ExistenceTest.PValue(default, [new(2, 3), new(4, 5), new(6, 7), new(8, 9)]);

        Assert.Equal(0.0, p);
    }

    [Fact]
    public void PValue_PublishedLiverDistributions_MatchScipy()
    {
        // CT-Abdomen "liver" from the published target_dist.json, statistics (0.96, 0.55, 0.6, 0.5).
        // scipy 1.10.1: ks_1samp p-values 0.0025207542802987426, 0.9173181923979445, 0.6117453126176746,
        // 0.4794946172243688; product^0.25 = 0.16138056313632937.
        BetaDistributionParameters colour = new(20.552757782824486, 16.312687320589742);
        IReadOnlyList<BetaDistributionParameters> liver = [new(497.88613290346797, 8.79208581405346), colour, colour, colour];

        double p = ExistenceTest.PValue(new MaskStatistics(0.96, 0.55, 0.6, 0.5), liver);

        Assert.Equal(0.16138056313632937, p, 1e-12);
    }

    [Fact]
    public void PValue_NotFourDistributions_Throws()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(
            () => ExistenceTest.PValue(new MaskStatistics(0.5, 0.5, 0.5, 0.5), [Uniform, Uniform, Uniform]));

        Assert.StartsWith("The existence test needs 4 distributions, one per statistic; got 3.", e.Message, StringComparison.Ordinal);
    }
}
