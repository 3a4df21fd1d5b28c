using MedServe.Dicom.Rendering;

namespace MedServe.Dicom.Tests.Rendering;

public sealed class VoiTransformTests
{
    private static byte[] Window(double[] values, DicomWindow window)
    {
        var result = new byte[values.Length];
        VoiTransform.ApplyWindow(values, window, result);
        return result;
    }

    [Fact]
    public void ApplyWindow_LinearAtEdges_FollowsStandardFormula()
    {
        // c = 0.5, w = 2: x <= c - 0.5 - (w-1)/2 = -0.5 → 0; x > c - 0.5 + (w-1)/2 = 0.5 → 255;
        // between, ((x - 0) / 1 + 0.5) * 255 rounded half away from zero.
        double[] x = [-0.75, -0.5, -0.49609375, -0.25, 0, 0.25, 0.5, 0.75];
        Assert.Equal([0, 0, 1, 64, 128, 191, 255, 255], Window(x, new DicomWindow(0.5, 2)));
    }

    [Fact]
    public void ApplyWindow_LinearIntegerCenter_UsesHalfPixelOffset()
    {
        // c = 100, w = 11: below 94.5 → 0, above 104.5 → 255; y = ((x - 99.5) / 10 + 0.5) * 255.
        double[] x = [94, 94.5, 95, 99, 100, 104, 104.5, 105];
        Assert.Equal([0, 0, 13, 115, 140, 242, 255, 255], Window(x, new DicomWindow(100, 11)));
    }

    [Fact]
    public void ApplyWindow_LinearWidthOne_IsAThreshold()
    {
        // w = 1 leaves no ramp: x <= c - 0.5 → 0, otherwise 255.
        Assert.Equal([0, 0, 255], Window([9, 9.5, 9.51], new DicomWindow(10, 1)));
    }

    [Fact]
    public void ApplyWindow_LinearExact_UsesCenterAndWidthAsGiven()
    {
        // c = 0, w = 4: x <= -2 → 0; x > 2 → 255; y = (x / 4 + 0.5) * 255.
        double[] x = [-3, -2, -1.9, -1, 0, 1, 2, 3];
        Assert.Equal([0, 0, 6, 64, 128, 191, 255, 255], Window(x, new DicomWindow(0, 4, "LINEAR_EXACT")));
    }

    [Fact]
    public void ApplyWindow_Sigmoid_FollowsLogistic()
    {
        // c = 0, w = 4: y = 255 / (1 + exp(-x)); x = ±ln 3 gives 191.25 and 63.75.
        double ln3 = Math.Log(3);
        double[] x = [0, ln3, -ln3, 100, -100];
        Assert.Equal([128, 191, 64, 255, 0], Window(x, new DicomWindow(0, 4, "SIGMOID")));
    }

    [Fact]
    public void ApplyWindow_FunctionNameCaseAndPadding_IsRecognised()
    {
        Assert.Equal([6], Window([-1.9], new DicomWindow(0, 4, " linear_exact ")));
    }

    [Theory]
    [InlineData(0.5, "LINEAR", false)]
    [InlineData(1, "LINEAR", true)]
    [InlineData(0.5, "LINEAR_EXACT", true)]
    [InlineData(0, "LINEAR_EXACT", false)]
    [InlineData(0, "SIGMOID", false)]
    [InlineData(0.1, "SIGMOID", true)]
    [InlineData(0.5, "UNKNOWN", false)]
    public void IsUsable_Width_DependsOnFunction(double width, string function, bool expected)
    {
        Assert.Equal(expected, VoiTransform.IsUsable(new DicomWindow(0, width, function)));
    }

    [Fact]
    public void ApplyWindow_UnusableWindow_Throws()
    {
        Assert.Throws<ArgumentException>(() => Window([0], new DicomWindow(0, 0)));
    }

    [Fact]
    public void ApplyLut_SixteenBitEntries_ScaleAndClamp()
    {
        var lut = new DicomLut(FirstMappedValue: -2, BitsPerEntry: 16, Data: [0, 65535, 32768, 1000]);
        double[] x = [-5, -2, -1, 0, 0.9, 1, 100];
        var result = new byte[x.Length];
        VoiTransform.ApplyLut(x, lut, result);
        // Entries → 0, 255, round(127.502) = 128, round(3.891) = 4; 0.9 - (-2) = 2.9 truncates to entry 2.
        Assert.Equal([0, 0, 255, 128, 128, 4, 4], result);
    }

    [Fact]
    public void ApplyLut_EightBitEntries_PassThrough()
    {
        var lut = new DicomLut(FirstMappedValue: 0, BitsPerEntry: 8, Data: [10, 20, 250]);
        var result = new byte[3];
        VoiTransform.ApplyLut([0, 1, 2], lut, result);
        Assert.Equal([10, 20, 250], result);
    }
}
