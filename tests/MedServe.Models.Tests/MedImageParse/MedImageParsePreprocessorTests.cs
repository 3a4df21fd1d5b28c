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
