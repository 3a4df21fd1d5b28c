namespace MedServe.Models.CxrReportGen;

/// <summary>One finding: a sentence and its boxes, or null when it is not grounded.</summary>
/// <param name="Sentence">The finding sentence.</param>
/// <param name="Boxes">The boxes where it is seen, or null.</param>
internal sealed record Finding(string Sentence, IReadOnlyList<FindingBox>? Boxes);
