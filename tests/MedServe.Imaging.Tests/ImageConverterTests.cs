namespace MedServe.Imaging.Tests;

public sealed class ImageConverterTests
{
    [Fact]
    public void ToRgb_Gray_ReplicatesIntoAllChannels()
    {
        PixelBuffer rgb = ImageConverter.ToRgb(new PixelBuffer(2, 1, PixelFormat.Gray8, [7, 200]));

        Assert.Equal(PixelFormat.Rgb8, rgb.Format);
        Assert.Equal(new byte[] { 7, 7, 7, 200, 200, 200 }, rgb.Data);
    }

    [Fact]
    public void ToRgb_GrayAlpha_DropsAlphaWithoutCompositing()
    {
        PixelBuffer rgb = ImageConverter.ToRgb(new PixelBuffer(2, 1, PixelFormat.GrayAlpha8, [7, 0, 200, 9]));

        Assert.Equal(new byte[] { 7, 7, 7, 200, 200, 200 }, rgb.Data);
    }

    [Fact]
    public void ToRgb_Rgba_DropsAlphaWithoutCompositing()
    {
        PixelBuffer rgb = ImageConverter.ToRgb(new PixelBuffer(2, 1, PixelFormat.Rgba8, [1, 2, 3, 0, 4, 5, 6, 255]));

        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, rgb.Data);
    }

    [Fact]
    public void ToGray_Rgb_MatchesPillowLuma()
    {
        // Pillow 9.4 convert("L") of each triple: 76, 150, 29, 1, 141, 255, 2, 79.
        byte[] triples = [255, 0, 0, 0, 255, 0, 0, 0, 255, 1, 1, 1, 100, 150, 200, 255, 255, 255, 3, 2, 0, 128, 64, 32];

        PixelBuffer gray = ImageConverter.ToGray(new PixelBuffer(8, 1, PixelFormat.Rgb8, triples));

        Assert.Equal(new byte[] { 76, 150, 29, 1, 141, 255, 2, 79 }, gray.Data);
    }

    [Fact]
    public void ToGray_RgbaAndGrayAlpha_IgnoreAlpha()
    {
        Assert.Equal(new byte[] { 141 }, ImageConverter.ToGray(new PixelBuffer(1, 1, PixelFormat.Rgba8, [100, 150, 200, 0])).Data);
        Assert.Equal(new byte[] { 9 }, ImageConverter.ToGray(new PixelBuffer(1, 1, PixelFormat.GrayAlpha8, [9, 1])).Data);
    }
}
