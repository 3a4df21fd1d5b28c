using MedServe.Models.MedImageParse.Detection;

namespace MedServe.Models.Tests.MedImageParse.Detection;

public sealed class BetaDistributionParametersTests
{
    [Theory]
    // Beta(1, 1) is uniform: F(x) = x.
    [InlineData(1, 1, 0.3, 0.3)]
    // Beta(2, 1): F(x) = x²; F(0.5) = 0.25, F(0.9) = 0.81.
    [InlineData(2, 1, 0.5, 0.25)]
    [InlineData(2, 1, 0.9, 0.81)]
    // Beta(1, 2): F(x) = 1 − (1 − x)²; F(0.5) = 0.75, F(0.1) = 0.19.
    [InlineData(1, 2, 0.5, 0.75)]
    [InlineData(1, 2, 0.1, 0.19)]
    // Beta(2, 2): F(x) = 3x² − 2x³; F(0.25) = 0.1875 − 0.03125 = 0.15625.
    [InlineData(2, 2, 0.25, 0.15625)]
    // Outside [0, 1] the CDF is 0 or 1, as scipy's beta.cdf is.
    [InlineData(2, 2, -0.5, 0)]
    [InlineData(2, 2, 0, 0)]
    [InlineData(2, 2, 1, 1)]
    [InlineData(2, 2, 1.5, 1)]
    public void Cdf_ClosedForms_MatchHandComputedValues(double a, double b, double x, double expected)
    {
        Assert.Equal(expected, new BetaDistributionParameters(a, b).Cdf(x), 1e-14);
    }

    [Theory]
    // Large, fitted parameters as in the published target_dist.json (CT-Abdomen liver; Ultrasound-Cardiac
    // left heart ventricle). Expected values from scipy 1.10.1 stats.beta(a, b).cdf(x). MathNet's
    // continued fraction agrees to about 3e-12 relative at a ≈ 2800, so the tolerance is 1e-10 relative.
    [InlineData(497.88613290346797, 8.79208581405346, 0.96, 0.001260377140149349)]
    [InlineData(20.552757782824486, 16.312687320589742, 0.55, 0.45865909619897227)]
    [InlineData(2787.334986695437, 58.297232816307506, 0.97, 0.0007046868023748957)]
    [InlineData(2787.334986695437, 58.297232816307506, 0.98, 0.5565576535365646)]
    [InlineData(15.28158405889985, 56.95469460140377, 0.2, 0.42578352292923344)]
    public void Cdf_FittedParameters_MatchScipy(double a, double b, double x, double expected)
    {
        double actual = new BetaDistributionParameters(a, b).Cdf(x);

        Assert.Equal(expected, actual, expected * 1e-10);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, -1)]
    [InlineData(double.PositiveInfinity, 1)]
    [InlineData(1, double.NaN)]
    public void Cdf_InvalidParameters_Throws(double a, double b)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BetaDistributionParameters(a, b).Cdf(0.5));
    }
}
