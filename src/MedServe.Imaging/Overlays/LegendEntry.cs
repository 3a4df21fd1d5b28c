namespace MedServe.Imaging.Overlays;

/// <summary>One line of an overlay legend: <c>[swatch] Number. Text</c>.</summary>
/// <param name="Number">The number the item carries in the image (mask or box number, from 1).</param>
/// <param name="Text">What the item is, e.g. <c>"liver — liver [p=0.41]"</c> or a finding sentence; wrapped to the legend's width.</param>
/// <param name="Color">The swatch colour, or <see langword="null"/> for an entry drawn nowhere in the image (no swatch).</param>
public sealed record LegendEntry(int Number, string Text, OverlayColor? Color);
