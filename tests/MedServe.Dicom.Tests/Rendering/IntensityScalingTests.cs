using MedServe.Dicom.Rendering;

namespace MedServe.Dicom.Tests.Rendering;

public sealed class IntensityScalingTests
{
    [Fact]
    public void ClipAndScale_Midpoint_TruncatesLikeAstypeUint8()
    {
        var result = new byte[5];
        IntensityScaling.ClipAndScale([-10, 0, 50, 100, 200], 0, 100, result);
        // 50 → 127.5, truncated to 127 (not rounded to 128).
        Assert.Equal([0, 0, 127, 255, 255], result);
    }

    [Fact]
    public void ClipAndScale_EmptyRange_WritesZeros()
    {
        byte[] result = [9, 9, 9];
        IntensityScaling.ClipAndScale([5, 5, 5], 5, 5, result);
        Assert.Equal([0, 0, 0], result);
    }

    [Fact]
    public void MinMax_MixedValues_FindsBoth()
    {
        Assert.Equal((-3.5, 12.0), IntensityScaling.MinMax([4, -3.5, 12, 0]));
    }
}
