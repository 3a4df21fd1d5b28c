namespace MedServe.Imaging.Overlays;

/// <summary>
/// Draws grounded findings (CXRReportGen) on their image, with the same palette, text and legend as the
/// mask overlays:
/// <code>
/// image (gray or RGB) ─► RGB ─► per finding: its palette colour, every box outlined, its number in a tag at the box corner
///                      ─► (OverlayLegend) "N. sentence" below the image, ungrounded ones marked "(no box)"
/// </code>
/// Finding N gets <see cref="OverlayPalette.ForIndex"/>(N − 1). The picture is for people; nothing here is
/// read back by a model.
/// </summary>
public static class BoxOverlay
{
    /// <summary>The colour of finding <paramref name="number"/> (1-based).</summary>
    public static OverlayColor ColorOf(int number) => OverlayPalette.ForIndex(Math.Max(1, number) - 1);

    /// <summary>The outline thickness in pixels for an image: 1 px per 300 px of its short side, at least 1.</summary>
    public static int Thickness(int width, int height) => Math.Max(1, Math.Min(width, height) / 300);

    /// <summary>
    /// The image with every finding's boxes outlined and numbered (no legend); box coordinates are pixels
    /// of <paramref name="image"/> and are clipped to it.
    /// </summary>
    /// <param name="image">A gray or RGB image (alpha is dropped).</param>
    /// <param name="findings">The findings, numbered as they should be shown.</param>
    /// <param name="font">The font for the numbers; the built-in digits when null.</param>
    public static PixelBuffer Draw(PixelBuffer image, IReadOnlyList<OverlayFinding> findings, OverlayFont? font)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(findings);
        var rgb = ImageConverter.ToRgb(image);
        var canvas = new PixelBuffer(rgb.Width, rgb.Height, PixelFormat.Rgb8, (byte[])rgb.Data.Clone());
        int t = Thickness(canvas.Width, canvas.Height);
        foreach (var finding in findings)
        {
            var color = ColorOf(finding.Number);
            foreach (var box in finding.Boxes)
            {
                int x0 = (int)Math.Floor(box.Left);
                int y0 = (int)Math.Floor(box.Top);
                int x1 = Math.Max(x0 + 1, (int)Math.Ceiling(box.Right));
                int y1 = Math.Max(y0 + 1, (int)Math.Ceiling(box.Bottom));
                RgbPainter.Fill(canvas, x0, y0, x1 - x0, t, color);
                RgbPainter.Fill(canvas, x0, y1 - t, x1 - x0, t, color);
                RgbPainter.Fill(canvas, x0, y0, t, y1 - y0, color);
                RgbPainter.Fill(canvas, x1 - t, y0, t, y1 - y0, color);
                DrawTag(canvas, finding.Number, x0, y0, t, color, font);
            }
        }

        return canvas;
    }

    /// <summary>The legend entries: "sentence" per finding, "(no box)" appended to ungrounded ones.</summary>
    public static IReadOnlyList<LegendEntry> Legend(IReadOnlyList<OverlayFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        return [.. findings.Select(f => new LegendEntry(f.Number, f.Boxes.Count == 0 ? f.Sentence + " (no box)" : f.Sentence, ColorOf(f.Number)))];
    }

    /// <summary>The finding's number on a tag of its colour just inside the box's top-left corner.</summary>
    private static void DrawTag(PixelBuffer canvas, int number, int x, int y, int thickness, OverlayColor color, OverlayFont? font)
    {
        string label = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        int scale = Math.Max(1, thickness);
        int pad = 2 * scale;
        if (font is null)
        {
            int width = OverlayText.DigitsWidth(label, scale) + (2 * pad);
            int height = OverlayText.DigitsHeight(scale) + (2 * pad);
            RgbPainter.Fill(canvas, x, y, width, height, color);
            OverlayText.DrawDigits(canvas, label, x + pad, y + pad, scale, Contrast(color));
            return;
        }

        int size = Math.Max(10, 10 * scale);
        int tagWidth = (int)Math.Ceiling(OverlayText.Measure(label, font, size)) + (2 * pad);
        int tagHeight = size + (2 * pad);
        RgbPainter.Fill(canvas, x, y, tagWidth, tagHeight, color);
        OverlayText.Draw(canvas, label, x + pad, y, tagHeight, font, size, Contrast(color));
    }

    /// <summary>Black on light colours, white on dark ones (Rec. 601 luma).</summary>
    private static OverlayColor Contrast(OverlayColor color) =>
        (299 * color.R) + (587 * color.G) + (114 * color.B) > 128_000 ? new OverlayColor(0, 0, 0) : new OverlayColor(255, 255, 255);
}
