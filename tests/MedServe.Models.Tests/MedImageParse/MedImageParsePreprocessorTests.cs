using MedServe.Imaging;
using MedServe.Models.MedImageParse;

namespace MedServe.Models.Tests.MedImageParse;

public sealed class MedImageParsePreprocessorTests
{
    [Fact]
    public void Process_GrayAtTargetSize_ReplicatesAndNormalisesOnThe255Scale()
    {
        var gray = new PixelBuffer(4, 4, PixelFormat.Gray8);
        for (int i = 0; i < 16; i++)
        {
            gray.Data[i] = (byte)(i * 10);
        }

        var preprocessor = new MedImageParsePreprocessor(4);
        float[] tensor = new float[preprocessor.TensorLength];
        preprocessor.Process(gray, tensor);
        // Plane c, pixel 5 (row 1, col 1): (50 − mean[c]) / std[c]; no resize at the target size.
        Assert.Equal((50f - 123.675f) / 58.395f, tensor[5], 5);
        Assert.Equal((50f - 116.28f) / 57.12f, tensor[16 + 5], 5);
        Assert.Equal((50f - 103.53f) / 57.375f, tensor[32 + 5], 5);
    }

    [Fact]
    public void Process_RgbaOtherSize_DropsAlphaAndResizesWithPillowBicubic()
    {
        var rgba = new PixelBuffer(6, 3, PixelFormat.Rgba8);
        new Random(5).NextBytes(rgba.Data);
        var preprocessor = new MedImageParsePreprocessor(8);
        float[] tensor = new float[preprocessor.TensorLength];
        preprocessor.Process(rgba, tensor);

        var expected = PillowResampler.Resize(ImageConverter.ToRgb(rgba), 8, 8, ResampleFilter.Bicubic);
        int pixel = (7 * 8) + 2;
        Assert.Equal((expected.Data[(pixel * 3) + 1] - 116.28f) / 57.12f, tensor[64 + pixel], 5);
        Assert.Equal((expected.Data[pixel * 3] - 123.675f) / 58.395f, tensor[pixel], 5);
    }
}

public sealed class MedImageParsePreprocessorGeometryTests
{
    [Theory]
    // (width, height) → padded (width, height), window top/left: (long − short) // 2 each side of the short axis.
    [InlineData(48, 30, 48, 48, 9, 0)]
    [InlineData(47, 30, 47, 46, 8, 0)]
    [InlineData(30, 48, 48, 48, 0, 9)]
    [InlineData(20, 20, 20, 20, 0, 0)]
    public void PadToSquare_ToolkitGeometry_CentresOnBlack(int width, int height, int paddedWidth, int paddedHeight, int top, int left)
    {
        var rgb = new PixelBuffer(width, height, PixelFormat.Rgb8);
        rgb.Span.Fill(200);

        var (padded, window) = MedImageParsePreprocessor.PadToSquare(rgb);

        Assert.Equal((paddedWidth, paddedHeight), (padded.Width, padded.Height));
        Assert.Equal(new MaskWindow(paddedHeight, paddedWidth, top, left, height, width), window);
        Assert.Equal(200, padded.Data[((top * paddedWidth) + left) * 3]);
        Assert.Equal(200, padded.Data[((((top + height - 1) * paddedWidth) + left + width - 1) * 3) + 2]);
        if (top > 0)
        {
            Assert.Equal(0, padded.Data[((top - 1) * paddedWidth * 3) + (left * 3)]);
        }

        if (left > 0)
        {
            Assert.Equal(0, padded.Data[(top * paddedWidth * 3) + ((left - 1) * 3)]);
        }
    }

    [Fact]
    public void Prepare_Auto_TensorIsThePaddedImageResizedAndStatisticsUseIt()
    {
        var gray = new PixelBuffer(12, 6, PixelFormat.Gray8);
        new Random(9).NextBytes(gray.Data);
        var preprocessor = new MedImageParsePreprocessor(8);

        var prepared = preprocessor.Prepare(gray, autoPreprocess: true);

        var (padded, _) = MedImageParsePreprocessor.PadToSquare(ImageConverter.ToRgb(gray));
        var expected = PillowResampler.Resize(padded, 8, 8, ResampleFilter.Bicubic);
        Assert.Equal(expected.Data, prepared.StatisticsImage.Data);
        Assert.Equal((expected.Data[3 * 10] - 123.675f) / 58.395f, prepared.Tensor[10], 5);
        Assert.Equal(new MaskWindow(12, 12, 3, 0, 6, 12), prepared.Output);
        Assert.Equal(MaskWindow.Whole(8, 8), prepared.Statistics);
        Assert.True(prepared.StatisticsDifferFromOutput);
    }

    [Fact]
    public void Prepare_NotAuto_StretchesAndMeasuresOnTheModelInput()
    {
        var gray = new PixelBuffer(12, 6, PixelFormat.Gray8);
        new Random(9).NextBytes(gray.Data);
        var preprocessor = new MedImageParsePreprocessor(8);

        var prepared = preprocessor.Prepare(gray, autoPreprocess: false);

        Assert.Equal(MaskWindow.Whole(6, 12), prepared.Output);
        Assert.Equal(MaskWindow.Whole(8, 8), prepared.Statistics);
        Assert.True(prepared.StatisticsDifferFromOutput);
        Assert.Equal(PillowResampler.Resize(ImageConverter.ToRgb(gray), 8, 8, ResampleFilter.Bicubic).Data, prepared.StatisticsImage.Data);
        float[] tensor = new float[preprocessor.TensorLength];
        preprocessor.Process(gray, tensor);
        Assert.Equal(tensor, prepared.Tensor);
    }

    [Fact]
    public void Prepare_AtModelSize_StatisticsAndOutputAreTheSameGeometry()
    {
        var rgb = new PixelBuffer(8, 8, PixelFormat.Rgb8);
        new Random(2).NextBytes(rgb.Data);

        var prepared = new MedImageParsePreprocessor(8).Prepare(rgb, autoPreprocess: false);

        Assert.False(prepared.StatisticsDifferFromOutput);
        Assert.Equal(rgb.Data, prepared.StatisticsImage.Data);
    }
}
