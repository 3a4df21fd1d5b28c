namespace MedServe.Imaging.Overlays;

/// <summary>Where one legend entry goes: its first line's top edge in the output image, and its wrapped lines.</summary>
/// <param name="Entry">The entry.</param>
/// <param name="Top">The y of the entry's first line box.</param>
/// <param name="Lines">The text lines (with a font: <c>"N. text"</c> wrapped; without: the number's digits).</param>
internal sealed record LegendRow(LegendEntry Entry, int Top, IReadOnlyList<string> Lines);
