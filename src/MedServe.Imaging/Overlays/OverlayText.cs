using System.Runtime.InteropServices;
using SkiaSharp;

namespace MedServe.Imaging.Overlays;

/// <summary>
/// Text on overlays, for legends and for labels drawn into the image (box numbers): antialiased with a
/// font file, or the built-in 5×7 digits when there is none.
/// </summary>
/// <remarks>
/// A line is placed by the top of its line box and the box height; the text is centred in it
/// vertically. Only the pixels around the text go through Skia (a 32-bit copy of that strip, drawn on
/// and copied back), so drawing a label costs the label's size, not the image's.
/// </remarks>
public static class OverlayText
{
    /// <summary>The height in pixels of the built-in digits at <paramref name="scale"/>.</summary>
    /// <param name="scale">Pixels per glyph dot; at least 1.</param>
    /// <returns>7 × <paramref name="scale"/>.</returns>
    public static int DigitsHeight(int scale) => DigitGlyphs.GlyphHeight * scale;

    /// <summary>The width in pixels of <paramref name="digits"/> in the built-in digits.</summary>
    /// <param name="digits">Characters 0–9.</param>
    /// <param name="scale">Pixels per glyph dot; at least 1.</param>
    /// <returns>The width; 0 for an empty string.</returns>
    public static int DigitsWidth(string digits, int scale)
    {
        ArgumentNullException.ThrowIfNull(digits);
        return DigitGlyphs.Width(digits, scale);
    }

    /// <summary>Draws digits in the built-in 5×7 font, exactly in <paramref name="color"/> (no antialiasing), clipped to the image.</summary>
    /// <param name="image">An <see cref="PixelFormat.Rgb8"/> image.</param>
    /// <param name="digits">Characters 0–9.</param>
    /// <param name="left">The x of the first glyph's left edge.</param>
    /// <param name="top">The y of the glyphs' top edge.</param>
    /// <param name="scale">Pixels per glyph dot; at least 1.</param>
    /// <param name="color">The colour.</param>
    /// <exception cref="ArgumentException">The image is not RGB, or <paramref name="digits"/> holds other characters.</exception>
    public static void DrawDigits(PixelBuffer image, string digits, int left, int top, int scale, OverlayColor color)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(digits);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        DigitGlyphs.Draw(image, left, top, digits, scale, color);
    }

    /// <summary>The drawn width of one line of text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="font">The font.</param>
    /// <param name="size">The text size in pixels.</param>
    /// <returns>The advance width in pixels.</returns>
    public static float Measure(string text, OverlayFont font, int size)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(font);
        return font.At(size).MeasureText(text);
    }

    /// <summary>Draws one line of text, antialiased over what is there, centred vertically in its line box; clipped to the image.</summary>
    /// <param name="image">An <see cref="PixelFormat.Rgb8"/> image.</param>
    /// <param name="text">The text (one line).</param>
    /// <param name="left">The x where the text starts.</param>
    /// <param name="top">The y of the line box's top edge.</param>
    /// <param name="lineHeight">The line box's height.</param>
    /// <param name="font">The font.</param>
    /// <param name="size">The text size in pixels.</param>
    /// <param name="color">The text colour.</param>
    /// <exception cref="ArgumentException">The image is not RGB.</exception>
    public static void Draw(PixelBuffer image, string text, int left, int top, int lineHeight, OverlayFont font, int size, OverlayColor color)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(font);
        if (image.Format != PixelFormat.Rgb8)
        {
            throw new ArgumentException($"Expected Rgb8, got {image.Format}.", nameof(image));
        }

        var skFont = font.At(size);
        int overhang = Math.Max(2, size / 4);
        int x0 = Math.Max(0, left - overhang);
        int x1 = Math.Min(image.Width, left + (int)Math.Ceiling(skFont.MeasureText(text)) + overhang);
        int y0 = Math.Max(0, top);
        int y1 = Math.Min(image.Height, top + lineHeight);
        if (text.Length == 0 || x0 >= x1 || y0 >= y1)
        {
            return;
        }

        int width = x1 - x0;
        int height = y1 - y0;
        byte[] strip = new byte[width * height * 4];
        Copy(image, x0, y0, width, height, strip, toStrip: true);
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        GCHandle pin = GCHandle.Alloc(strip, GCHandleType.Pinned);
        try
        {
            using var surface = SKSurface.Create(info, pin.AddrOfPinnedObject(), info.RowBytes)
                ?? throw new InvalidOperationException("Skia could not create a drawing surface.");
            using var paint = new SKPaint { Color = new SKColor(color.R, color.G, color.B), IsAntialias = true };
            var metrics = skFont.Metrics;
            float baseline = top - y0 + ((lineHeight - (metrics.Descent - metrics.Ascent)) / 2) - metrics.Ascent;
            surface.Canvas.DrawText(text, left - x0, baseline, SKTextAlign.Left, skFont, paint);
            surface.Flush();
        }
        finally
        {
            pin.Free();
        }

        Copy(image, x0, y0, width, height, strip, toStrip: false);
    }

    private static void Copy(PixelBuffer image, int left, int top, int width, int height, byte[] strip, bool toStrip)
    {
        for (int y = 0; y < height; y++)
        {
            var row = image.Row(top + y).Slice(left * 3, width * 3);
            var rgba = strip.AsSpan(y * width * 4, width * 4);
            for (int x = 0; x < width; x++)
            {
                if (toStrip)
                {
                    rgba[x * 4] = row[x * 3];
                    rgba[(x * 4) + 1] = row[(x * 3) + 1];
                    rgba[(x * 4) + 2] = row[(x * 3) + 2];
                    rgba[(x * 4) + 3] = 255;
                }
                else
                {
                    row[x * 3] = rgba[x * 4];
                    row[(x * 3) + 1] = rgba[(x * 4) + 1];
                    row[(x * 3) + 2] = rgba[(x * 4) + 2];
                }
            }
        }
    }
}
