namespace MedServe.Models.MedImageParse.Detection;

/// <summary>
/// The object-existence test of BiomedParse: how plausible a predicted mask is for its target, as a
/// p-value from the mask's four <see cref="MaskStatistics"/> and the target's Beta distributions.
/// </summary>
/// <remarks>
/// <code>
/// stats (4) ─► F_i = BetaCDF(a_i, b_i)(stats_i) ─► p_i = KS one-sample p-value of one sample ─► (Π p_i)^¼
/// </code>
/// The reference calls <c>scipy.stats.ks_1samp([stat], beta(a, b).cdf)</c> per statistic. For one sample
/// the statistic is <c>D = max(1 − F, F)</c> and its exact two-sided p-value is <c>1 − (2D − 1)</c>, that
/// is <c>2·min(F, 1 − F)</c> (0 when D = 1, 1 when D = 0.5), clipped to [0, 1]. This class follows the
/// same floating-point steps, so that for F &lt; 0.5 the rounding of <c>1 − F</c> is reproduced too (a
/// CDF of 1e-20 gives 0, as in scipy). The product of the four is raised to the power ¼ ("adjustment
/// for four test products"). An empty mask has all statistics 0, F = 0 and so a p-value of 0.
/// </remarks>
public static class ExistenceTest
{
    /// <summary>The p-value below which the reference rejects a target. <value>The value is 0.05.</value></summary>
    public const double RecommendedThreshold = 0.05;

    /// <summary>The existence p-value of a mask, in [0, 1].</summary>
    /// <param name="statistics">The mask's statistics (<see cref="MaskStatistics.Compute"/>).</param>
    /// <param name="distributions">The four distributions of the target, in statistic order
    /// (<see cref="TargetDistributions.TryGet"/>).</param>
    /// <exception cref="ArgumentException">There are not exactly four distributions.</exception>
    public static double PValue(MaskStatistics statistics, IReadOnlyList<BetaDistributionParameters> distributions)
    {
        ArgumentNullException.ThrowIfNull(distributions);
        if (distributions.Count != MaskStatistics.Count)
        {
            throw new ArgumentException(
                $"The existence test needs {MaskStatistics.Count} distributions, one per statistic; got {distributions.Count}.",
                nameof(distributions));
        }

        double product = 1;
        for (int i = 0; i < MaskStatistics.Count; i++)
        {
            product *= OneSampleKolmogorovSmirnovPValue(distributions[i].Cdf(statistics[i]));
        }

        return Math.Pow(product, 0.25);
    }

    /// <summary>
    /// The exact two-sided Kolmogorov–Smirnov p-value of a single sample whose CDF value is
    /// <paramref name="cdf"/>: <c>2·min(F, 1 − F)</c>, computed as scipy does.
    /// </summary>
    public static double OneSampleKolmogorovSmirnovPValue(double cdf)
    {
        if (double.IsNaN(cdf))
        {
            return double.NaN;
        }

        // D+ = 1/n − F and D− = F − 0/n for n = 1; scipy's kstwo.sf(D, 1) is then 1 − (2D − 1) on (0.5, 1).
        double d = Math.Max(1.0 - cdf, cdf);
        if (d >= 1.0)
        {
            return 0;
        }

        if (d <= 0.5)
        {
            return 1;
        }

        return Math.Clamp(1.0 - ((2.0 * d) - 1.0), 0.0, 1.0);
    }
}
