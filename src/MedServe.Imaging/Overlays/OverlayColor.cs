namespace MedServe.Imaging.Overlays;

/// <summary>An opaque 8-bit sRGB colour used to draw masks, boxes and legend swatches.</summary>
/// <param name="R">Red, 0–255.</param>
/// <param name="G">Green, 0–255.</param>
/// <param name="B">Blue, 0–255.</param>
public readonly record struct OverlayColor(byte R, byte G, byte B)
{
    /// <summary>The colour as <c>#RRGGBB</c>.</summary>
    /// <returns>Seven characters, upper-case hex.</returns>
    public override string ToString() => $"#{R:X2}{G:X2}{B:X2}";
}
