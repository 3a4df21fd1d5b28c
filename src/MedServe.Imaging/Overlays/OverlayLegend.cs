namespace MedServe.Imaging.Overlays;

/// <summary>
/// Puts a legend below an overlay image: per entry a swatch in its colour and <c>"N. text"</c>, wrapped
/// to the width. Shared by every overlay (masks, boxes); callers build the entries.
/// <code>
/// image ─► canvas (image at top-left, legend panel below, background elsewhere)
///       ─► per entry: swatch (aliased, exact colour), then
///          "N. text" wrapped (OverlayText, antialiased)  |  no font: N in the built-in digits
///       ─► RGB result
/// </code>
/// The sizes follow the image width (text 1/48 of it, at least 12 px); the output is at least 320 px wide.
/// </summary>
public static class OverlayLegend
{
    /// <summary>The panel's background colour.</summary>
    public static OverlayColor Background { get; } = new(24, 24, 24);

    /// <summary>The text colour.</summary>
    public static OverlayColor Foreground { get; } = new(235, 235, 235);

    /// <summary>Returns the image with the legend below it; with no entries, the image alone (as RGB).</summary>
    /// <param name="image">The overlay image; any format (converted as Pillow's <c>convert("RGB")</c>); not modified.</param>
    /// <param name="entries">The legend lines, in order; numbers must not be negative.</param>
    /// <param name="font">The text font, or <see langword="null"/> to draw only swatches and numbers (built-in digits).</param>
    /// <returns>A new <see cref="PixelFormat.Rgb8"/> image at least as large as <paramref name="image"/>.</returns>
    public static PixelBuffer Compose(PixelBuffer image, IReadOnlyList<LegendEntry> entries, OverlayFont? font)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(entries);
        var rgb = image.Format == PixelFormat.Rgb8 ? image : ImageConverter.ToRgb(image);
        int size = LegendLayout.FontSizeFor(image.Width);
        var layout = LegendLayout.Create(image.Width, image.Height, entries, font is null ? null : text => OverlayText.Measure(text, font, size));

        var canvas = new PixelBuffer(layout.Width, layout.Height, PixelFormat.Rgb8);
        RgbPainter.Fill(canvas, 0, 0, canvas.Width, canvas.Height, Background);
        for (int y = 0; y < rgb.Height; y++)
        {
            rgb.Row(y).CopyTo(canvas.Row(y));
        }

        foreach (var row in layout.Rows)
        {
            if (row.Entry.Color is { } color)
            {
                var (left, top) = layout.SwatchAt(row);
                RgbPainter.Fill(canvas, left, top, layout.SwatchSize, layout.SwatchSize, color);
            }

            if (font is null)
            {
                var (left, top) = layout.DigitsAt(row);
                OverlayText.DrawDigits(canvas, row.Lines[0], left, top, layout.DigitScale, Foreground);
                continue;
            }

            for (int i = 0; i < row.Lines.Count; i++)
            {
                OverlayText.Draw(canvas, row.Lines[i], layout.TextLeft, row.Top + (i * layout.LineHeight), layout.LineHeight, font, size, Foreground);
            }
        }

        return canvas;
    }
}
