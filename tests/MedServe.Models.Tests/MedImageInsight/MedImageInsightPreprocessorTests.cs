using MedServe.Imaging;
using MedServe.Models.MedImageInsight;

namespace MedServe.Models.Tests.MedImageInsight;

public sealed class MedImageInsightPreprocessorTests
{
    private const int Side = 480;
    private static readonly MedImageInsightPreprocessor Preprocessor = new(MedImageInsightDefaults.Preprocessing);

    private static float[] Run(PixelBuffer pixels, bool palette = false, int size = 512, int quality = 75)
    {
        float[] tensor = new float[Preprocessor.TensorLength];
        Preprocessor.Process(new DecodedImage(pixels, ImageFormat.Png, palette, 8), size, quality, tensor);
        return tensor;
    }

    private static float At(float[] tensor, int channel, int y, int x) => tensor[(channel * Side * Side) + (y * Side) + x];

    [Fact]
    public void Process_FlatGray_GivesImageNetNormalisedConstantPlanes()
    {
        var gray = new PixelBuffer(30, 20, PixelFormat.Gray8);
        gray.Data.AsSpan().Fill(128);
        float[] tensor = Run(gray);
        Assert.Equal(3 * Side * Side, tensor.Length);
        float[] mean = [0.485f, 0.456f, 0.406f];
        float[] std = [0.229f, 0.224f, 0.225f];
        for (int c = 0; c < 3; c++)
        {
            float expected = ((128f / 255f) - mean[c]) / std[c];
            // A flat image survives resizing exactly and JPEG within one level.
            Assert.InRange(At(tensor, c, 0, 0), expected - (1.5f / 255f / std[c]), expected + (1.5f / 255f / std[c]));
            Assert.Equal(At(tensor, c, 0, 0), At(tensor, c, Side - 1, Side - 1), 4);
            Assert.Equal(At(tensor, c, 0, 0), At(tensor, c, 240, 100), 4);
        }
    }

    [Fact]
    public void Process_ChannelsAndAxes_LandInPlanarRgbRowMajor()
    {
        // Red grows left to right, green top to bottom, blue is zero: a swapped axis or channel shows.
        var rgb = new PixelBuffer(64, 64, PixelFormat.Rgb8);
        for (int y = 0; y < 64; y++)
        {
            for (int x = 0; x < 64; x++)
            {
                int i = ((y * 64) + x) * 3;
                rgb.Data[i] = (byte)(x * 4);
                rgb.Data[i + 1] = (byte)(y * 4);
                rgb.Data[i + 2] = 0;
            }
        }

        float[] tensor = Run(rgb, quality: 95);
        Assert.True(At(tensor, 0, 240, 470) > At(tensor, 0, 240, 10) + 3, "red must grow along x in plane 0");
        Assert.InRange(At(tensor, 0, 470, 240) - At(tensor, 0, 10, 240), -0.2f, 0.2f);
        Assert.True(At(tensor, 1, 470, 240) > At(tensor, 1, 10, 240) + 3, "green must grow along y in plane 1");
        Assert.InRange(At(tensor, 2, 240, 240), (-0.406f / 0.225f) - 0.1f, (-0.406f / 0.225f) + 0.1f);
    }

    [Fact]
    public void Process_JpegQuality_ChangesTheTensor()
    {
        var rgb = new PixelBuffer(50, 50, PixelFormat.Rgb8);
        new Random(7).NextBytes(rgb.Data);
        Assert.NotEqual(Run(rgb, quality: 10), Run(rgb, quality: 95));
    }

    [Fact]
    public void Process_Palette_StandardisesWithNearestLikePillow()
    {
        // A 2×2 checkerboard of two palette colours: nearest keeps only those two colours at 512,
        // bicubic would blend them. The difference must reach the tensor.
        var pixels = new PixelBuffer(2, 2, PixelFormat.Rgb8, [255, 0, 0, 0, 0, 255, 0, 0, 255, 255, 0, 0]);
        var asPalette = Run(pixels, palette: true, quality: 100);
        var asRgb = Run(pixels, palette: false, quality: 100);
        Assert.NotEqual(asPalette, asRgb);
    }

    [Fact]
    public void Process_SameInput_IsDeterministic()
    {
        var rgb = new PixelBuffer(33, 17, PixelFormat.Rgba8);
        new Random(3).NextBytes(rgb.Data);
        Assert.Equal(Run(rgb), Run(rgb));
    }
}
