namespace MedServe.Models.CxrReportGen;

/// <summary>One request row: its study text and its image bytes (frontal, lateral, prior; null when not sent).</summary>
/// <param name="Study">The text parts and which images were sent.</param>
/// <param name="Images">The image cells' bytes, in column order frontal, lateral, prior.</param>
internal sealed record CxrRow(CxrStudy Study, byte[]?[] Images);
