using SkiaSharp;

namespace MedServe.Imaging.Overlays;

/// <summary>
/// Draws findings on an image for review:
/// <code>
/// image (gray or RGB) ─► RGBA canvas ─► per finding: its colour, every box outlined, its number in a tag at the box corner
///                     ─► legend panel below the image: "N. sentence" (wrapped; ungrounded ones marked "no box") ─► PNG
/// </code>
/// The picture is for people; nothing here is read back by a model.
/// </summary>
public static class BoxOverlay
{
    private static readonly SKColor[] Palette =
    [
        new(230, 25, 75), new(60, 180, 75), new(255, 225, 25), new(0, 130, 200), new(245, 130, 48),
        new(145, 30, 180), new(70, 240, 240), new(240, 50, 230), new(210, 245, 60), new(250, 190, 212),
    ];

    private static readonly string[] FontFiles =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    ];

    /// <summary>The colour of finding <paramref name="number"/> (1-based), as RGB.</summary>
    public static (byte R, byte G, byte B) ColourOf(int number)
    {
        var colour = Palette[(Math.Max(1, number) - 1) % Palette.Length];
        return (colour.Red, colour.Green, colour.Blue);
    }

    /// <summary>Renders <paramref name="findings"/> over <paramref name="image"/> and returns PNG bytes.</summary>
    /// <param name="image">A gray or RGB image (alpha is dropped).</param>
    /// <param name="findings">The findings, numbered as they should be shown.</param>
    public static byte[] RenderPng(PixelBuffer image, IReadOnlyList<OverlayFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(findings);
        var rgb = ImageConverter.ToRgb(image);
        int width = rgb.Width;
        int height = rgb.Height;
        float scale = Math.Max(1f, Math.Min(width, height) / 400f);
        float textSize = 14f * scale;
        using var typeface = LoadTypeface();
        using var font = new SKFont(typeface, textSize);
        var legend = LayoutLegend(findings, font, width, scale);
        float lineHeight = textSize * 1.35f;
        int legendHeight = legend.Count == 0 ? 0 : (int)Math.Ceiling((legend.Count * lineHeight) + (2 * 6 * scale));

        using var bitmap = new SKBitmap(new SKImageInfo(width, height + legendHeight, SKColorType.Rgba8888, SKAlphaType.Opaque));
        CopyPixels(rgb, bitmap);
        using (var canvas = new SKCanvas(bitmap))
        {
            DrawBoxes(canvas, findings, font, scale);
            DrawLegend(canvas, legend, font, height, width, legendHeight, lineHeight, scale);
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static SKTypeface LoadTypeface()
    {
        foreach (string file in FontFiles)
        {
            if (File.Exists(file) && SKTypeface.FromFile(file) is { } typeface)
            {
                return typeface;
            }
        }

        // Without a font file the numbers and legend text are not drawn; the boxes still are.
        return SKTypeface.CreateDefault();
    }

    private static void CopyPixels(PixelBuffer rgb, SKBitmap bitmap)
    {
        for (int y = 0; y < rgb.Height; y++)
        {
            var row = rgb.Row(y);
            for (int x = 0; x < rgb.Width; x++)
            {
                bitmap.SetPixel(x, y, new SKColor(row[3 * x], row[(3 * x) + 1], row[(3 * x) + 2]));
            }
        }
    }

    private static void DrawBoxes(SKCanvas canvas, IReadOnlyList<OverlayFinding> findings, SKFont font, float scale)
    {
        using var stroke = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = 2f * scale, IsAntialias = false };
        using var fill = new SKPaint { Style = SKPaintStyle.Fill, IsAntialias = true };
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        foreach (var finding in findings)
        {
            var (r, g, b) = ColourOf(finding.Number);
            stroke.Color = new SKColor(r, g, b);
            fill.Color = new SKColor(r, g, b);
            string label = finding.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var box in finding.Boxes)
            {
                var rect = new SKRect((float)box.Left, (float)box.Top, (float)box.Right, (float)box.Bottom);
                canvas.DrawRect(rect, stroke);
                float tagWidth = font.MeasureText(label) + (6 * scale);
                float tagHeight = font.Size + (4 * scale);
                float tagTop = rect.Top - tagHeight >= 0 ? rect.Top - tagHeight : rect.Top;
                canvas.DrawRect(new SKRect(rect.Left, tagTop, rect.Left + tagWidth, tagTop + tagHeight), fill);
                canvas.DrawText(label, rect.Left + (3 * scale), tagTop + font.Size, font, text);
            }
        }
    }

    private static List<(string Text, int Number, bool First)> LayoutLegend(IReadOnlyList<OverlayFinding> findings, SKFont font, int width, float scale)
    {
        var lines = new List<(string, int, bool)>();
        float available = width - (30 * scale);
        foreach (var finding in findings)
        {
            string text = $"{finding.Number}. {finding.Sentence}" + (finding.Boxes.Count == 0 ? " (no box)" : "");
            bool first = true;
            foreach (string line in Wrap(text, font, available))
            {
                lines.Add((line, finding.Number, first));
                first = false;
            }
        }

        return lines;
    }

    private static IEnumerable<string> Wrap(string text, SKFont font, float available)
    {
        var words = text.Split(' ');
        string line = "";
        foreach (string word in words)
        {
            string candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && font.MeasureText(candidate) > available)
            {
                yield return line;
                line = word;
            }
            else
            {
                line = candidate;
            }
        }

        if (line.Length > 0)
        {
            yield return line;
        }
    }

    private static void DrawLegend(SKCanvas canvas, List<(string Text, int Number, bool First)> legend, SKFont font, int top, int width,
        int legendHeight, float lineHeight, float scale)
    {
        if (legend.Count == 0)
        {
            return;
        }

        using var background = new SKPaint { Color = new SKColor(24, 24, 24), Style = SKPaintStyle.Fill };
        canvas.DrawRect(new SKRect(0, top, width, top + legendHeight), background);
        using var swatch = new SKPaint { Style = SKPaintStyle.Fill };
        using var text = new SKPaint { Color = SKColors.White, IsAntialias = true };
        float y = top + (6 * scale);
        foreach (var (line, number, first) in legend)
        {
            if (first)
            {
                var (r, g, b) = ColourOf(number);
                swatch.Color = new SKColor(r, g, b);
                canvas.DrawRect(new SKRect(6 * scale, y + (lineHeight * 0.2f), 18 * scale, y + (lineHeight * 0.8f)), swatch);
            }

            canvas.DrawText(line, 24 * scale, y + font.Size, font, text);
            y += lineHeight;
        }
    }
}
