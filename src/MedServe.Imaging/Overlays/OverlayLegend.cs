using SkiaSharp;

namespace MedServe.Imaging.Overlays;

/// <summary>
/// Puts a legend below an overlay image: per entry a swatch in its colour and <c>"N. text"</c>, wrapped
/// to the width. Shared by every overlay (masks, boxes); callers build the entries.
/// <code>
/// image ─► canvas (image at top-left, legend panel below, background elsewhere)
///       ─► text with the font (Skia, antialiased)  |  no font: the numbers in built-in digits
///       ─► swatches (aliased, exact colours) ─► RGB result
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
        using var skFont = font is null ? null : new SKFont(font.Typeface, LegendLayout.FontSizeFor(image.Width)) { Edging = SKFontEdging.Antialias, Subpixel = true };
        var layout = LegendLayout.Create(image.Width, image.Height, entries, skFont is null ? null : text => skFont.MeasureText(text));

        var canvas = new PixelBuffer(layout.Width, layout.Height, PixelFormat.Rgb8);
        RgbPainter.Fill(canvas, 0, 0, canvas.Width, canvas.Height, Background);
        for (int y = 0; y < rgb.Height; y++)
        {
            rgb.Row(y).CopyTo(canvas.Row(y));
        }

        if (skFont is not null && layout.Height > layout.PanelTop)
        {
            DrawText(canvas, layout, skFont);
        }

        foreach (var row in layout.Rows)
        {
            if (row.Entry.Color is { } color)
            {
                var (left, top) = layout.SwatchAt(row);
                RgbPainter.Fill(canvas, left, top, layout.SwatchSize, layout.SwatchSize, color);
            }

            if (skFont is null)
            {
                var (left, top) = layout.DigitsAt(row);
                DigitGlyphs.Draw(canvas, left, top, row.Lines[0], layout.DigitScale, Foreground);
            }
        }

        return canvas;
    }

    private static void DrawText(PixelBuffer canvas, LegendLayout layout, SKFont font)
    {
        int panelHeight = layout.Height - layout.PanelTop;
        var info = new SKImageInfo(layout.Width, panelHeight, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        using (var surface = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Color = ToSkia(Foreground), IsAntialias = true })
        {
            surface.Clear(ToSkia(Background));
            var metrics = font.Metrics;
            float baselineOffset = ((layout.LineHeight - (metrics.Descent - metrics.Ascent)) / 2) - metrics.Ascent;
            foreach (var row in layout.Rows)
            {
                for (int i = 0; i < row.Lines.Count; i++)
                {
                    float baseline = row.Top - layout.PanelTop + (i * layout.LineHeight) + baselineOffset;
                    surface.DrawText(row.Lines[i], layout.TextLeft, baseline, SKTextAlign.Left, font, paint);
                }
            }
        }

        ReadOnlySpan<byte> pixels = bitmap.GetPixelSpan();
        for (int y = 0; y < panelHeight; y++)
        {
            var source = pixels.Slice(y * bitmap.RowBytes, layout.Width * 4);
            var target = canvas.Row(layout.PanelTop + y);
            for (int x = 0; x < layout.Width; x++)
            {
                target[x * 3] = source[x * 4];
                target[(x * 3) + 1] = source[(x * 4) + 1];
                target[(x * 3) + 2] = source[(x * 4) + 2];
            }
        }
    }

    private static SKColor ToSkia(OverlayColor color) => new(color.R, color.G, color.B);
}
