namespace MedServe.Imaging.Tests;

public sealed class TensorWriterTests
{
    [Fact]
    public void WriteNchw_TwoByTwo_WritesChannelPlanesRowMajor()
    {
        // Pixels (r, g, b): (0,1,2) (10,11,12) / (20,21,22) (30,31,32). With scale 1, mean 0, std 1 the
        // tensor is the raw samples: all reds row-major, then greens, then blues.
        var rgb = new PixelBuffer(2, 2, PixelFormat.Rgb8, [0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32]);
        var tensor = new float[12];

        TensorWriter.WriteNchw(rgb, [0f, 0f, 0f], [1f, 1f, 1f], 1f, tensor);

        Assert.Equal(new float[] { 0, 10, 20, 30, 1, 11, 21, 31, 2, 12, 22, 32 }, tensor);
    }

    [Fact]
    public void WriteNchw_ImageNetNormalisation_AppliesPerChannelMeanAndStd()
    {
        var rgb = new PixelBuffer(1, 1, PixelFormat.Rgb8, [255, 0, 51]);
        var tensor = new float[3];
        float[] mean = [0.485f, 0.456f, 0.406f];
        float[] std = [0.229f, 0.224f, 0.225f];

        TensorWriter.WriteNchw(rgb, mean, std, 1f / 255f, tensor);

        // (1 − 0.485)/0.229 = 2.2489, (0 − 0.456)/0.224 = −2.0357, (0.2 − 0.406)/0.225 = −0.9156
        Assert.Equal(2.2489f, tensor[0], 0.0001f);
        Assert.Equal(-2.0357f, tensor[1], 0.0001f);
        Assert.Equal(-0.9156f, tensor[2], 0.0001f);
    }

    [Fact]
    public void WriteNchw_ZeroToTwoFiftyFiveStatistics_ScaleOne()
    {
        var rgb = new PixelBuffer(1, 1, PixelFormat.Rgb8, [123, 0, 255]);
        var tensor = new float[3];

        TensorWriter.WriteNchw(rgb, [123f, 100f, 255f], [2f, 50f, 1f], 1f, tensor);

        Assert.Equal(new float[] { 0f, -2f, 0f }, tensor);
    }

    [Fact]
    public void WriteNchw_DestinationTooShort_Throws()
    {
        var rgb = new PixelBuffer(2, 2, PixelFormat.Rgb8);

        Assert.Throws<ArgumentException>(() => TensorWriter.WriteNchw(rgb, [0f, 0f, 0f], [1f, 1f, 1f], 1f, new float[11]));
    }

    [Fact]
    public void WriteNchw_NotRgb_Throws()
    {
        var gray = new PixelBuffer(2, 2, PixelFormat.Gray8);

        Assert.Throws<ArgumentException>(() => TensorWriter.WriteNchw(gray, [0f, 0f, 0f], [1f, 1f, 1f], 1f, new float[12]));
    }
}
