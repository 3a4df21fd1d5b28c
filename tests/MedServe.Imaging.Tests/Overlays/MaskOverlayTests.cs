using MedServe.Imaging.Overlays;

namespace MedServe.Imaging.Tests.Overlays;

public sealed class MaskOverlayTests
{
    private static readonly OverlayColor Red = OverlayPalette.Colors[0];
    private static readonly OverlayColor Green = OverlayPalette.Colors[1];

    [Theory]
    [InlineData(0, 255, 115)] // 114.75
    [InlineData(255, 0, 140)] // 140.25
    [InlineData(10, 20, 15)] // 14.5, half rounds up
    [InlineData(200, 200, 200)]
    public void Blend_KnownSamples_AreRoundedFortyFivePercentMixes(int under, int over, int expected)
    {
        Assert.Equal(expected, MaskOverlay.Blend((byte)under, (byte)over));
    }

    [Fact]
    public void Draw_PixelInsideMask_HasTheBlendedColour()
    {
        var image = Gray(7, 7, 100);
        var masks = Masks(7, 7, Rect(7, 7, 1, 1, 5, 5, 255));

        var result = MaskOverlay.Draw(image, masks);

        Assert.Equal(PixelFormat.Rgb8, result.Format);
        Assert.Equal(Tinted(100, 100, 100, Red), RgbPixels.At(result, 3, 3));
        Assert.Equal(Tinted(100, 100, 100, Red), RgbPixels.At(result, 2, 2));
    }

    [Fact]
    public void Draw_PixelOutsideMask_IsUnchanged()
    {
        var image = Gray(7, 7, 100);
        var masks = Masks(7, 7, Rect(7, 7, 1, 1, 5, 5, 255));

        var result = MaskOverlay.Draw(image, masks);

        Assert.Equal((100, 100, 100), RgbPixels.At(result, 0, 0));
        Assert.Equal((100, 100, 100), RgbPixels.At(result, 6, 3));
        Assert.Equal((100, 100, 100), RgbPixels.At(result, 3, 6));
    }

    [Fact]
    public void Draw_BoundaryPixels_HaveTheOpaqueMaskColour()
    {
        var masks = Masks(7, 7, Rect(7, 7, 1, 1, 5, 5, 255));

        var result = MaskOverlay.Draw(Gray(7, 7, 100), masks);

        var red = RgbPixels.Of(Red);
        Assert.Equal(red, RgbPixels.At(result, 1, 1));
        Assert.Equal(red, RgbPixels.At(result, 3, 1));
        Assert.Equal(red, RgbPixels.At(result, 5, 3));
        Assert.Equal(red, RgbPixels.At(result, 3, 5));
        Assert.NotEqual(red, RgbPixels.At(result, 2, 3));
    }

    [Fact]
    public void Draw_MaskTouchingTheImageEdge_OutlinesAlongTheEdge()
    {
        var masks = Masks(5, 5, Rect(5, 5, 0, 0, 5, 5, 255));

        var result = MaskOverlay.Draw(Gray(5, 5, 40), masks);

        Assert.Equal(RgbPixels.Of(Red), RgbPixels.At(result, 0, 2));
        Assert.Equal(RgbPixels.Of(Red), RgbPixels.At(result, 4, 4));
        Assert.Equal(Tinted(40, 40, 40, Red), RgbPixels.At(result, 2, 2));
    }

    [Fact]
    public void Draw_Value128_IsInsideAndValue127_IsOutside()
    {
        byte[] inside = Rect(9, 5, 0, 0, 4, 5, 128);
        byte[] outside = Rect(9, 5, 5, 0, 4, 5, 127);
        var combined = new byte[inside.Length];
        for (int i = 0; i < combined.Length; i++)
        {
            combined[i] = (byte)(inside[i] | outside[i]);
        }

        var result = MaskOverlay.Draw(Gray(9, 5, 60), Masks(9, 5, combined));

        Assert.Equal(Tinted(60, 60, 60, Red), RgbPixels.At(result, 1, 2));
        Assert.Equal((60, 60, 60), RgbPixels.At(result, 6, 2));
        Assert.Equal((60, 60, 60), RgbPixels.At(result, 5, 0));
        Assert.Equal(4 * 5, new MaskStack(1, 5, 9, combined).InsideCount(0));
    }

    [Fact]
    public void Draw_OverlappingMasks_TintInOrderAndKeepBothOutlines()
    {
        // Mask 0 covers columns 0-5, mask 1 columns 3-8, so columns 3-5 are in both.
        byte[] first = Rect(9, 7, 0, 0, 6, 7, 255);
        byte[] second = Rect(9, 7, 3, 0, 6, 7, 200);

        var result = MaskOverlay.Draw(Gray(9, 7, 80), Masks(9, 7, first, second));

        var firstTint = Tinted(80, 80, 80, Red);
        Assert.Equal(firstTint, RgbPixels.At(result, 1, 3));
        Assert.Equal(Tinted(firstTint.R, firstTint.G, firstTint.B, Green), RgbPixels.At(result, 4, 3));
        Assert.Equal(Tinted(80, 80, 80, Green), RgbPixels.At(result, 7, 3));

        // Mask 0's right edge (column 5) lies inside mask 1 and mask 1's left edge (column 3) inside mask 0:
        // both outlines survive the other mask's tint.
        Assert.Equal(RgbPixels.Of(Red), RgbPixels.At(result, 5, 3));
        Assert.Equal(RgbPixels.Of(Green), RgbPixels.At(result, 3, 3));
    }

    [Fact]
    public void Draw_RgbImage_BlendsEachChannel()
    {
        var image = new PixelBuffer(5, 5, PixelFormat.Rgb8);
        for (int i = 0; i < image.Data.Length; i += 3)
        {
            image.Data[i] = 10;
            image.Data[i + 1] = 120;
            image.Data[i + 2] = 250;
        }

        var result = MaskOverlay.Draw(image, Masks(5, 5, Rect(5, 5, 0, 0, 5, 5, 255)));

        Assert.Equal(Tinted(10, 120, 250, Red), RgbPixels.At(result, 2, 2));
        Assert.Equal((10, 120, 250), RgbPixels.At(image, 2, 2));
    }

    [Fact]
    public void Draw_GivenColours_UsesThemInsteadOfThePalette()
    {
        var blue = new OverlayColor(0, 0, 255);

        var result = MaskOverlay.Draw(Gray(5, 5, 0), Masks(5, 5, Rect(5, 5, 0, 0, 5, 5, 255)), [blue]);

        Assert.Equal((0, 0, 255), RgbPixels.At(result, 0, 0));
        Assert.Equal(Tinted(0, 0, 0, blue), RgbPixels.At(result, 2, 2));
    }

    [Fact]
    public void Draw_EmptyMask_LeavesTheImage()
    {
        var result = MaskOverlay.Draw(Gray(4, 4, 33), Masks(4, 4, new byte[16]));

        Assert.All(result.Data, sample => Assert.Equal(33, sample));
    }

    [Fact]
    public void Draw_GeometryDiffersFromTheImage_Throws()
    {
        Assert.Throws<ArgumentException>(() => MaskOverlay.Draw(Gray(5, 4, 0), Masks(4, 5, new byte[20])));
    }

    [Fact]
    public void Draw_FewerColoursThanMasks_Throws()
    {
        Assert.Throws<ArgumentException>(() => MaskOverlay.Draw(Gray(2, 2, 0), Masks(2, 2, new byte[4], new byte[4]), [Red]));
    }

    /// <summary>round(under · 0.55 + colour · 0.45), halves up, in exact decimal arithmetic.</summary>
    private static (int R, int G, int B) Tinted(int r, int g, int b, OverlayColor color) =>
        (Mix(r, color.R), Mix(g, color.G), Mix(b, color.B));

    private static int Mix(int under, int over) =>
        (int)Math.Round((under * 0.55m) + (over * 0.45m), MidpointRounding.AwayFromZero);

    private static PixelBuffer Gray(int width, int height, byte value)
    {
        var image = new PixelBuffer(width, height, PixelFormat.Gray8);
        image.Data.AsSpan().Fill(value);
        return image;
    }

    private static byte[] Rect(int width, int height, int left, int top, int rectWidth, int rectHeight, byte value)
    {
        byte[] mask = new byte[width * height];
        for (int y = top; y < top + rectHeight; y++)
        {
            mask.AsSpan((y * width) + left, rectWidth).Fill(value);
        }

        return mask;
    }

    private static MaskStack Masks(int width, int height, params byte[][] masks)
    {
        byte[] data = new byte[masks.Length * width * height];
        for (int i = 0; i < masks.Length; i++)
        {
            masks[i].CopyTo(data, i * width * height);
        }

        return new MaskStack(masks.Length, height, width, data);
    }
}
