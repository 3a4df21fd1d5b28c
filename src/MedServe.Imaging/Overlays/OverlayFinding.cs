namespace MedServe.Imaging.Overlays;

/// <summary>One numbered finding to draw: its sentence for the legend and its boxes (none when ungrounded).</summary>
/// <param name="Number">The number shown on the boxes and in the legend.</param>
/// <param name="Sentence">The finding sentence.</param>
/// <param name="Boxes">The boxes in image pixels.</param>
public sealed record OverlayFinding(int Number, string Sentence, IReadOnlyList<OverlayBox> Boxes);
