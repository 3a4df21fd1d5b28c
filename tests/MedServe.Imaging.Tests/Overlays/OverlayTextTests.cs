using MedServe.Imaging.Overlays;

namespace MedServe.Imaging.Tests.Overlays;

public sealed class OverlayTextTests
{
    private static readonly OverlayColor White = new(255, 255, 255);

    [Fact]
    public void DrawDigits_Scale3_SetsExactlyTheGlyphDots()
    {
        var image = Gray(40, 30, 50);

        OverlayText.DrawDigits(image, "10", 4, 2, 3, White);

        // "1": dot (2, 0) set, dot (0, 0) not; "0" starts 6 dots (18 px) further: dot (0, 1) set.
        Assert.Equal((255, 255, 255), RgbPixels.At(image, 4 + 6, 2));
        Assert.Equal((255, 255, 255), RgbPixels.At(image, 4 + 8, 4));
        Assert.Equal((50, 50, 50), RgbPixels.At(image, 4, 2));
        Assert.Equal((255, 255, 255), RgbPixels.At(image, 4 + 18, 2 + 3));
        Assert.Equal((50, 50, 50), RgbPixels.At(image, 4 + 18, 2));
        Assert.Equal(((6 * 2) - 1) * 3, OverlayText.DigitsWidth("10", 3));
        Assert.Equal(21, OverlayText.DigitsHeight(3));
    }

    [Fact]
    public void DrawDigits_PastTheImageEdge_IsClipped()
    {
        var image = Gray(6, 6, 0);

        OverlayText.DrawDigits(image, "88", 3, 3, 2, White);

        Assert.Equal((255, 255, 255), RgbPixels.At(image, 5, 3));
    }

    [Fact]
    public void DrawDigits_NotADigit_Throws()
    {
        Assert.Throws<ArgumentException>(() => OverlayText.DrawDigits(Gray(10, 10, 0), "1a", 0, 0, 1, White));
    }

    [Fact]
    public void Draw_Text_ChangesOnlyItsLineBoxAndKeepsTheImageAround()
    {
        Assert.SkipUnless(File.Exists(OverlayFontTests.DejaVu), OverlayFontTests.MissingFontReason);
        using var font = OverlayFont.TryLoad(OverlayFontTests.DejaVu)!;
        var image = Gray(120, 60, 40);

        OverlayText.Draw(image, "12 liver", 10, 20, 20, font, 14, White);

        int inside = 0;
        for (int y = 0; y < 60; y++)
        {
            for (int x = 0; x < 120; x++)
            {
                bool changed = RgbPixels.At(image, x, y) != (40, 40, 40);
                bool inLineBox = y is >= 20 and < 40 && x >= 10 - 3;
                Assert.False(changed && !inLineBox, $"pixel ({x}, {y}) changed outside the line box");
                inside += changed ? 1 : 0;
            }
        }

        Assert.True(inside > 40, $"{inside} text pixels");
        Assert.True(OverlayText.Measure("12 liver", font, 14) < 120 - 10);
    }

    [Fact]
    public void Draw_LongerText_MeasuresWider()
    {
        Assert.SkipUnless(File.Exists(OverlayFontTests.DejaVu), OverlayFontTests.MissingFontReason);
        using var font = OverlayFont.TryLoad(OverlayFontTests.DejaVu)!;

        Assert.True(OverlayText.Measure("liver tumor", font, 12) > OverlayText.Measure("liver", font, 12));
        Assert.True(OverlayText.Measure("liver", font, 24) > OverlayText.Measure("liver", font, 12));
    }

    [Fact]
    public void Draw_PartlyOutsideTheImage_IsClipped()
    {
        Assert.SkipUnless(File.Exists(OverlayFontTests.DejaVu), OverlayFontTests.MissingFontReason);
        using var font = OverlayFont.TryLoad(OverlayFontTests.DejaVu)!;
        var image = Gray(30, 10, 0);

        OverlayText.Draw(image, "a long label", 20, -5, 20, font, 14, White);

        Assert.Contains(image.Data, sample => sample != 0);
    }

    [Fact]
    public void Draw_GrayImage_Throws()
    {
        Assert.SkipUnless(File.Exists(OverlayFontTests.DejaVu), OverlayFontTests.MissingFontReason);
        using var font = OverlayFont.TryLoad(OverlayFontTests.DejaVu)!;

        Assert.Throws<ArgumentException>(() => OverlayText.Draw(new PixelBuffer(10, 10, PixelFormat.Gray8), "a", 0, 0, 10, font, 10, White));
    }

    private static PixelBuffer Gray(int width, int height, byte value)
    {
        var image = new PixelBuffer(width, height, PixelFormat.Rgb8);
        image.Data.AsSpan().Fill(value);
        return image;
    }
}
