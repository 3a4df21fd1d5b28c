using MathNet.Numerics;

namespace MedServe.Models.MedImageParse.Detection;

/// <summary>
/// The shape parameters of one Beta distribution from <c>target_dist.json</c>: the expected distribution
/// of one mask statistic for one (modality, target) pair.
/// </summary>
/// <param name="Alpha">The first shape parameter <c>a</c>; positive and finite.</param>
/// <param name="Beta">The second shape parameter <c>b</c>; positive and finite.</param>
public readonly record struct BetaDistributionParameters(double Alpha, double Beta)
{
    /// <summary>
    /// The cumulative distribution function at <paramref name="x"/>: the regularized incomplete beta
    /// function I<sub>x</sub>(a, b), 0 at or below 0 and 1 at or above 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A shape parameter is not positive and finite.</exception>
    public double Cdf(double x)
    {
        if (!(Alpha > 0 && double.IsFinite(Alpha)))
        {
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "The shape parameter a must be positive and finite.");
        }

        if (!(Beta > 0 && double.IsFinite(Beta)))
        {
            throw new ArgumentOutOfRangeException(nameof(Beta), Beta, "The shape parameter b must be positive and finite.");
        }

        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        // MathNet refuses x outside [0, 1]; scipy's beta.cdf clips to 0 and 1 there.
        if (x <= 0)
        {
            return 0;
        }

        if (x >= 1)
        {
            return 1;
        }

        return SpecialFunctions.BetaRegularized(Alpha, Beta, x);
    }
}
