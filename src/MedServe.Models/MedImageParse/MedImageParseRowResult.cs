namespace MedServe.Models.MedImageParse;

/// <summary>One response row before serialisation.</summary>
/// <param name="Masks">N·H·W bytes, mask-major, row-major: probability × 255.</param>
/// <param name="Count">N.</param>
/// <param name="Height">H, the original image's height.</param>
/// <param name="Width">W, the original image's width.</param>
/// <param name="Names">N category (or, with recognition, target) names.</param>
/// <param name="PValues">N existence p-values, or null when not asked for.</param>
/// <param name="PValueReasons">N reasons for a null p-value (null where one was computed), or null.</param>
internal sealed record MedImageParseRowResult(
    byte[] Masks, int Count, int Height, int Width, string[] Names, double?[]? PValues, string?[]? PValueReasons);
