namespace MedServe.Models.CxrReportGen;

/// <summary>The text parts of one study (one request row); null for a section the row did not send.</summary>
/// <param name="HasLateral">A lateral image was sent.</param>
/// <param name="HasPrior">A prior frontal image was sent.</param>
/// <param name="Indication">The indication section.</param>
/// <param name="Technique">The technique section.</param>
/// <param name="Comparison">The comparison section.</param>
/// <param name="PriorReport">The prior report (only with a prior image).</param>
public sealed record CxrStudy(bool HasLateral, bool HasPrior, string? Indication = null, string? Technique = null,
    string? Comparison = null, string? PriorReport = null)
{
    /// <summary>The number of images: frontal, then lateral and prior when sent.</summary>
    public int ImageCount => 1 + (HasLateral ? 1 : 0) + (HasPrior ? 1 : 0);
}
