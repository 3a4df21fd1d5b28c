using MedServe.Imaging;
using MedServe.Models.CxrReportGen;

namespace MedServe.Models.Tests.CxrReportGen;

public sealed class CxrReportGenPreprocessorTests
{
    private static PixelBuffer Gray(int width, int height, Func<int, int, byte> value)
    {
        var buffer = new PixelBuffer(width, height, PixelFormat.Gray8);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                buffer.Row(y)[x] = value(x, y);
            }
        }

        return buffer;
    }

    [Fact]
    public void Stretch_MapsMinToZeroAndMaxTo255Truncating()
    {
        var stretched = CxrReportGenPreprocessor.Stretch(Gray(3, 1, (x, _) => (byte)(new[] { 10, 11, 30 }[x])));
        // (11 − 10) / 20 · 255 = 12.75 → 12, as numpy's astype(uint8) truncates.
        Assert.Equal(new byte[] { 0, 12, 255 }, stretched.Row(0)[..3].ToArray());
    }

    [Fact]
    public void Stretch_ConstantImage_IsAllZero()
    {
        var stretched = CxrReportGenPreprocessor.Stretch(Gray(2, 2, (_, _) => 77));
        Assert.All(stretched.Data.Take(2), v => Assert.Equal(0, v));
    }

    [Fact]
    public void CentreCrop_WideImage_TakesTheCentredSquare()
    {
        var image = Gray(7, 3, (x, y) => (byte)((10 * y) + x));
        var crop = CxrReportGenPreprocessor.CentreCrop(image, 3);
        Assert.Equal(new byte[] { 2, 3, 4 }, crop.Row(0)[..3].ToArray());
        Assert.Equal(new byte[] { 22, 23, 24 }, crop.Row(2)[..3].ToArray());
    }

    [Fact]
    public void Process_ReplicatesGrayAndNormalisesEachChannel()
    {
        var pre = new CxrReportGenPreprocessor(CxrReportGenDefaults.Preprocessing with { ImageSize = 2 });
        var output = new float[pre.TensorLength];
        pre.Process(Gray(4, 2, (x, _) => x < 2 ? (byte)0 : (byte)200), output);
        // Stretched to 0 / 255, cropped to the centre 2×2 (columns 1 and 2).
        float lowR = (0f - 0.48145466f) / 0.26862954f;
        float highB = (1f - 0.40821073f) / 0.27577711f;
        Assert.Equal(lowR, output[0], 5);
        Assert.Equal(highB, output[(2 * 4) + 1], 5);
    }

    [Fact]
    public void ToOriginal_TallImage_UsesTheVerticalOffset()
    {
        var crop = new CropGeometry(100, 160);
        Assert.Equal((100, 0, 30), (crop.Side, crop.OffsetX, crop.OffsetY));
        var box = crop.ToOriginal(new FindingBox(0.5, 0.5, 1, 1));
        Assert.Equal(new FindingBox(0.5, 80 / 160.0, 1, 130 / 160.0), box);
    }
}
