using MedServe.Imaging.Overlays;

namespace MedServe.Imaging.Tests.Overlays;

public sealed class OverlayLegendTests
{
    private static readonly OverlayColor Red = OverlayPalette.Colors[0];
    private static readonly OverlayColor Green = OverlayPalette.Colors[1];

    [Fact]
    public void Compose_SmallImage_KeepsItAtTheTopLeftOfAMinimumWidthCanvas()
    {
        var image = Patterns.Create(PixelFormat.Rgb8, 64, 40);

        var result = OverlayLegend.Compose(image, [new LegendEntry(1, "liver — liver", Red)], font: null);

        Assert.Equal(320, result.Width);
        Assert.True(result.Height > 40, $"height {result.Height}");
        for (int y = 0; y < 40; y++)
        {
            Assert.Equal(image.Row(y).ToArray(), result.Row(y)[..(64 * 3)].ToArray());
        }

        Assert.Equal(Background, RgbPixels.At(result, 64, 0));
        Assert.Equal(Background, RgbPixels.At(result, 319, 39));
    }

    [Fact]
    public void Compose_OneEntryNoFont_HasTheHeightOfOneLineAndPadding()
    {
        // 12 px text (the minimum) → padding 6, line 18: 40 + 6 + 18 + 6.
        var result = OverlayLegend.Compose(new PixelBuffer(64, 40, PixelFormat.Gray8), [new LegendEntry(1, "x", Red)], font: null);

        Assert.Equal(70, result.Height);
    }

    [Fact]
    public void Compose_WideImage_ScalesTheLegendWithTheWidth()
    {
        // 1024 / 48 = 21 px text → padding 10, line 31, swatch 21, per entry.
        var entries = new[] { new LegendEntry(1, "a", Red), new LegendEntry(2, "b", Green) };

        var result = OverlayLegend.Compose(new PixelBuffer(1024, 100, PixelFormat.Gray8), entries, font: null);

        Assert.Equal(1024, result.Width);
        Assert.Equal(100 + 10 + (2 * 31) + 10, result.Height);
        Assert.Equal(RgbPixels.Of(Green), RgbPixels.At(result, 10 + 10, 100 + 10 + 31 + 5 + 10));
    }

    [Fact]
    public void Compose_Swatches_HaveTheExactEntryColours()
    {
        var entries = new[] { new LegendEntry(1, "left lung — lung", Red), new LegendEntry(2, "tumor — tumor", Green) };

        var result = OverlayLegend.Compose(new PixelBuffer(64, 40, PixelFormat.Gray8), entries, font: null);

        // Swatch 1 spans x 6-17, y 40+6+3 = 49-60; swatch 2 is one 18 px line lower.
        Assert.Equal(RgbPixels.Of(Red), RgbPixels.At(result, 6, 49));
        Assert.Equal(RgbPixels.Of(Red), RgbPixels.At(result, 17, 60));
        Assert.Equal(RgbPixels.Of(Green), RgbPixels.At(result, 11, 49 + 18 + 5));
        Assert.Equal(Background, RgbPixels.At(result, 5, 49));
        Assert.Equal(Background, RgbPixels.At(result, 18, 49));
        Assert.Equal(Background, RgbPixels.At(result, 11, 48));
    }

    [Fact]
    public void Compose_EntryWithoutColour_HasNoSwatch()
    {
        var result = OverlayLegend.Compose(new PixelBuffer(64, 40, PixelFormat.Gray8), [new LegendEntry(1, "no box", null)], font: null);

        Assert.Equal(Background, RgbPixels.At(result, 11, 54));
    }

    [Fact]
    public void Compose_NoFont_DrawsTheNumbersInBuiltInDigits()
    {
        var result = OverlayLegend.Compose(new PixelBuffer(64, 40, PixelFormat.Gray8), [new LegendEntry(7, "x", Red)], font: null);

        // Digits start at x = 6 + 12 + 6 = 24, scale 2, 14 px tall in the 18 px line: top y = 46 + 2.
        // The glyph of 7 has its first row full and column 0 of its last row empty.
        var foreground = RgbPixels.Of(OverlayLegend.Foreground);
        Assert.Equal(foreground, RgbPixels.At(result, 24, 48));
        Assert.Equal(foreground, RgbPixels.At(result, 24 + 9, 49));
        Assert.Equal(Background, RgbPixels.At(result, 24, 48 + 12));
        Assert.Equal(foreground, RgbPixels.At(result, 24 + 2, 48 + 12));
        Assert.Equal(Background, RgbPixels.At(result, 24 + 10, 48));
    }

    [Fact]
    public void Compose_NoEntries_IsTheImageAsRgb()
    {
        var image = Patterns.Create(PixelFormat.Gray8, 10, 6);

        var result = OverlayLegend.Compose(image, [], font: null);

        Assert.Equal((10, 6), (result.Width, result.Height));
        Assert.Equal(ImageConverter.ToRgb(image).Data, result.Data);
    }

    [Fact]
    public void Compose_WithFont_DrawsTextRightOfTheSwatch()
    {
        Assert.SkipUnless(File.Exists(OverlayFontTests.DejaVu), OverlayFontTests.MissingFontReason);
        using var font = OverlayFont.TryLoad(OverlayFontTests.DejaVu);

        var result = OverlayLegend.Compose(new PixelBuffer(64, 40, PixelFormat.Gray8), [new LegendEntry(1, "liver — liver", Red)], font);

        Assert.Equal(70, result.Height);
        int text = CountNot(result, 24, 46, 320, 64, Background);
        Assert.True(text > 30, $"{text} text pixels");
        Assert.Equal(RgbPixels.Of(Red), RgbPixels.At(result, 11, 54));
    }

    [Fact]
    public void Compose_WithFontAndLongText_WrapsOntoMoreLines()
    {
        Assert.SkipUnless(File.Exists(OverlayFontTests.DejaVu), OverlayFontTests.MissingFontReason);
        using var font = OverlayFont.TryLoad(OverlayFontTests.DejaVu);
        string sentence = string.Join(' ', Enumerable.Repeat("The cardiomediastinal silhouette is within normal limits.", 3));

        var result = OverlayLegend.Compose(new PixelBuffer(64, 40, PixelFormat.Gray8), [new LegendEntry(1, sentence, Red)], font);

        Assert.True(result.Height >= 40 + 6 + (3 * 18) + 6, $"height {result.Height}");
        Assert.Equal(0, (result.Height - 40 - 12) % 18);
        Assert.True(CountNot(result, 24, result.Height - 6 - 18, 320, result.Height - 6, Background) > 0, "the last line has text");
    }

    [Fact]
    public void Layout_FakeMeasure_WrapsEachEntryAndStacksThem()
    {
        var entries = new[] { new LegendEntry(1, new string('a', 40), Red), new LegendEntry(12, "b", Green) };

        // Text width = 320 − 24 − 6 = 290: 29 characters of 10 px per line; "1. " + 40 × a needs two lines,
        // and the number keeps the start of the word on its line.
        var layout = LegendLayout.Create(64, 40, entries, s => s.Length * 10f);

        Assert.Equal(["1. " + new string('a', 26), new string('a', 14)], layout.Rows[0].Lines);
        Assert.Equal(46, layout.Rows[0].Top);
        Assert.Equal(46 + 36, layout.Rows[1].Top);
        Assert.Equal(["12. b"], layout.Rows[1].Lines);
        Assert.Equal(46 + 36 + 18 + 6, layout.Height);
    }

    private static (int R, int G, int B) Background => RgbPixels.Of(OverlayLegend.Background);

    private static int CountNot(PixelBuffer image, int left, int top, int right, int bottom, (int R, int G, int B) color)
    {
        int count = 0;
        for (int y = top; y < bottom; y++)
        {
            for (int x = left; x < right; x++)
            {
                if (RgbPixels.At(image, x, y) != color)
                {
                    count++;
                }
            }
        }

        return count;
    }
}
