namespace MedServe.Imaging.Overlays;

/// <summary>A box in image pixels, edges inclusive of the left/top and exclusive of the right/bottom.</summary>
/// <param name="Left">The left edge.</param>
/// <param name="Top">The top edge.</param>
/// <param name="Right">The right edge.</param>
/// <param name="Bottom">The bottom edge.</param>
public readonly record struct OverlayBox(double Left, double Top, double Right, double Bottom);
