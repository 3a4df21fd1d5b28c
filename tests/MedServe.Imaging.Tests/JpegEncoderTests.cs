namespace MedServe.Imaging.Tests;

/// <summary>
/// During development, images encoded here at quality 10/75/95 (RGB) and 75 (gray) decoded with Pillow to
/// exactly the pixels of Pillow's own <c>save(format="JPEG", quality=q)</c>: same quantisation tables,
/// 4:2:0 sampling, baseline. Only the entropy coding bytes differ (Skia writes optimised Huffman tables).
/// </summary>
public sealed class JpegEncoderTests
{
    [Fact]
    public void Encode_Rgb_StartsWithSoiMarker()
    {
        byte[] jpeg = JpegEncoder.Encode(Smooth(32, 24), 75);

        Assert.Equal(0xFF, jpeg[0]);
        Assert.Equal(0xD8, jpeg[1]);
        Assert.Equal(0xFF, jpeg[^2]);
        Assert.Equal(0xD9, jpeg[^1]);
    }

    [Fact]
    public void Encode_SmoothImage_RoundTripsWithSmallError()
    {
        PixelBuffer source = Smooth(64, 48);

        double error = MeanError(source, 90);

        Assert.True(error < 2.0, $"mean absolute error {error}");
    }

    [Fact]
    public void Encode_HigherQuality_HasLowerError()
    {
        PixelBuffer source = Smooth(64, 48);

        Assert.True(MeanError(source, 95) < MeanError(source, 10));
    }

    [Fact]
    public void Encode_Rgb_UsesBaseline420()
    {
        byte[] jpeg = JpegEncoder.Encode(Smooth(32, 32), 75);

        // SOF0 (baseline), 3 components, luma sampled 2×2 (0x22), chroma 1×1 (0x11).
        int sof = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        Assert.True(sof > 0, "no baseline SOF0 marker");
        Assert.Equal(3, jpeg[sof + 9]);
        Assert.Equal(0x22, jpeg[sof + 11]);
        Assert.Equal(0x11, jpeg[sof + 14]);
        Assert.Equal(0x11, jpeg[sof + 17]);
    }

    [Fact]
    public void Encode_Gray_WritesOneComponent()
    {
        byte[] jpeg = JpegEncoder.Encode(ImageConverter.ToGray(Smooth(16, 16)), 75);

        int sof = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        Assert.Equal(1, jpeg[sof + 9]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Encode_QualityOutOfRange_Throws(int quality)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => JpegEncoder.Encode(Smooth(8, 8), quality));
    }

    [Fact]
    public void Encode_Rgba_Throws()
    {
        Assert.Throws<ArgumentException>(() => JpegEncoder.Encode(new PixelBuffer(2, 2, PixelFormat.Rgba8), 75));
    }

    private static double MeanError(PixelBuffer source, int quality)
    {
        PixelBuffer decoded = ImageDecoder.Decode(JpegEncoder.Encode(source, quality), ImageDecodeOptions.Default).Pixels;
        long total = 0;
        for (int i = 0; i < source.Data.Length; i++)
        {
            total += Math.Abs(source.Data[i] - decoded.Data[i]);
        }

        return (double)total / source.Data.Length;
    }

    private static PixelBuffer Smooth(int width, int height)
    {
        var image = new PixelBuffer(width, height, PixelFormat.Rgb8);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = ((y * width) + x) * 3;
                image.Data[i] = (byte)(x * 255 / width);
                image.Data[i + 1] = (byte)(y * 255 / height);
                image.Data[i + 2] = (byte)(128 + (60 * Math.Sin((x + y) / 9.0)));
            }
        }

        return image;
    }
}
