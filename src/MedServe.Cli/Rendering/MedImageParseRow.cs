using MedServe.Imaging.Overlays;

namespace MedServe.Cli.Rendering;

/// <summary>One decoded MedImageParse response row.</summary>
/// <param name="Masks">The masks of <c>image_features</c>, [N, H, W].</param>
/// <param name="Categories">The N names of <c>text_features</c>.</param>
/// <param name="PValues">The N existence p-values (<c>null</c> items where none was computed), or null when the row has no <c>p_values</c>.</param>
internal sealed record MedImageParseRow(MaskStack Masks, IReadOnlyList<string> Categories, IReadOnlyList<double?>? PValues);
