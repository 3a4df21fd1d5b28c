using MedServe.Dicom.Gdcm;
using MedServe.Testing;

namespace MedServe.Dicom.Tests;

public sealed class PixelDataExtentTests
{
    private static byte[] ExplicitLittle(uint declared, int present) =>
        [0x28, 0x00, 0x10, 0x00, (byte)'U', (byte)'S', 2, 0, 4, 0, 0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'W', 0, 0,
            (byte)declared, (byte)(declared >> 8), (byte)(declared >> 16), (byte)(declared >> 24), .. new byte[present]];

    [Fact]
    public void IsTruncated_NativeDataComplete_IsFalse() => Assert.False(PixelDataExtent.IsTruncated(ExplicitLittle(16, 16)));

    [Fact]
    public void IsTruncated_NativeDataShort_IsTrue() => Assert.True(PixelDataExtent.IsTruncated(ExplicitLittle(16, 15)));

    [Fact]
    public void IsTruncated_ImplicitVrShort_IsTrue()
    {
        byte[] file = [0xE0, 0x7F, 0x10, 0x00, 8, 0, 0, 0, 1, 2, 3];
        Assert.True(PixelDataExtent.IsTruncated(file));
        Assert.False(PixelDataExtent.IsTruncated([.. file, 4, 5, 6, 7, 8]));
    }

    [Fact]
    public void IsTruncated_EncapsulatedWithoutDelimiter_IsTrue()
    {
        byte[] start = [0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'B', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0];
        Assert.True(PixelDataExtent.IsTruncated(start));
        Assert.False(PixelDataExtent.IsTruncated([.. start, 0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]));
    }

    [Fact]
    public void IsTruncated_NoPixelData_IsFalse() => Assert.False(PixelDataExtent.IsTruncated([0x08, 0x00, 0x60, 0x00]));

    [Theory]
    [InlineData("MR_small.dcm")]
    [InlineData("MR_small_padded.dcm")]
    [InlineData("MR_small_bigendian.dcm")]
    [InlineData("MR_small_implicit.dcm")]
    [InlineData("MR_small_RLE.dcm")]
    [InlineData("US1_J2KR.dcm")]
    [InlineData("examples_ybr_color.dcm")]
    public void IsTruncated_SharedFiles_CompleteButNotWhenCut(string name)
    {
        string? path = SharedTestData.File("dicom/" + name);
        Assert.SkipWhen(path is null, SharedTestData.MissingReason);
        byte[] bytes = File.ReadAllBytes(path!);
        Assert.False(PixelDataExtent.IsTruncated(bytes));
        // Cut inside the pixel data (these files hold little else); a few bytes off the end may only drop trailing padding.
        Assert.True(PixelDataExtent.IsTruncated(bytes.AsSpan(0, bytes.Length * 3 / 5)));
    }
}
