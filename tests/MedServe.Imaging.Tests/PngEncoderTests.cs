namespace MedServe.Imaging.Tests;

public sealed class PngEncoderTests
{
    [Theory]
    [InlineData(PixelFormat.Gray8)]
    [InlineData(PixelFormat.Rgb8)]
    [InlineData(PixelFormat.Rgba8)]
    public void Encode_ReadBackWithPngReader_GivesTheSamePixels(PixelFormat format)
    {
        var image = Patterns.Create(format, 23, 17);

        var decoded = PngReader.Decode(PngEncoder.Encode(image), ImageDecodeOptions.Default);

        Assert.Equal(ImageFormat.Png, decoded.SourceFormat);
        Assert.Equal((23, 17), (decoded.Pixels.Width, decoded.Pixels.Height));
        Assert.Equal(format, decoded.Pixels.Format);
        Assert.Equal(image.Data, decoded.Pixels.Data);
    }

    [Fact]
    public void Encode_GrayAlpha_Throws()
    {
        Assert.Throws<ArgumentException>(() => PngEncoder.Encode(new PixelBuffer(2, 2, PixelFormat.GrayAlpha8)));
    }
}
