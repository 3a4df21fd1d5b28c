namespace MedServe.Models.CxrReportGen;

/// <summary>
/// Where the model's square sits in the original image: side min(W, H), offsets (W − side) // 2 and
/// (H − side) // 2, as MAIRA-2's <c>adjust_box_for_original_image_size</c> assumes.
/// </summary>
/// <param name="Width">The original width in pixels.</param>
/// <param name="Height">The original height in pixels.</param>
internal readonly record struct CropGeometry(int Width, int Height)
{
    /// <summary>The crop side.</summary>
    public int Side => Math.Min(Width, Height);

    /// <summary>The crop's left offset.</summary>
    public int OffsetX => (Width - Side) / 2;

    /// <summary>The crop's top offset.</summary>
    public int OffsetY => (Height - Side) / 2;

    /// <summary>
    /// A crop-relative box mapped to the original image, normalised by W and H: <c>int(norm · side + offset) / W</c>
    /// (and H for y), exactly as the reference maps it.
    /// </summary>
    public FindingBox ToOriginal(FindingBox box) => new(
        (int)((box.XMin * Side) + OffsetX) / (double)Width,
        (int)((box.YMin * Side) + OffsetY) / (double)Height,
        (int)((box.XMax * Side) + OffsetX) / (double)Width,
        (int)((box.YMax * Side) + OffsetY) / (double)Height);
}
