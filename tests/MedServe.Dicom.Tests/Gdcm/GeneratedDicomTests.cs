#if MEDSERVE_GDCM
using MedServe.Dicom.Worker;
#endif

namespace MedServe.Dicom.Tests.Gdcm;

/// <summary>Files written by GDCM in the test itself, so CI without ../shared covers the essentials.</summary>
public sealed class GeneratedDicomTests
{
#if MEDSERVE_GDCM
    private static int[] Ramp(int count, int start = 0, int step = 1) => [.. Enumerable.Range(0, count).Select(i => start + (i * step))];

    [Fact]
    public async Task DecodeAsync_Monochrome1WithRescaleAndWindows_RoundTrips()
    {
        TestDecoders.SkipWithoutGdcm();
        int[] samples = Ramp(4 * 5, start: 10, step: 37);
        byte[] dicom = TestDicomWriter.Write(new TestDicomSpec
        {
            Rows = 4, Columns = 5, Photometric = "MONOCHROME1", Samples = samples, RescaleSlope = 0.5, RescaleIntercept = -100,
            Windows = [(40, 400), (300, 1500)], Modality = "CR",
        });

        DicomFrame frame = await TestDecoders.DecodeAsync(dicom);

        Assert.Equal(samples, frame.Samples);
        Assert.Equal("MONOCHROME1", frame.Image.PhotometricInterpretation);
        Assert.Equal((0.5, -100.0), (frame.Image.RescaleSlope, frame.Image.RescaleIntercept));
        Assert.Equal([new DicomWindow(40, 400), new DicomWindow(300, 1500)], frame.Image.Windows);
        Assert.Equal("CR", frame.Image.Modality);
    }

    [Fact]
    public async Task DecodeAsync_SignedTwelveBit_SignExtends()
    {
        TestDecoders.SkipWithoutGdcm();
        int[] samples = [-2048, -1, 0, 2047, -1000, 1000];
        byte[] dicom = TestDicomWriter.Write(new TestDicomSpec { Rows = 2, Columns = 3, Signed = true, BitsStored = 12, Samples = samples });

        DicomFrame frame = await TestDecoders.DecodeAsync(dicom);

        Assert.Equal(samples, frame.Samples);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DecodeAsync_MultiFrame_ReturnsTheRequestedFrame(bool rle)
    {
        TestDecoders.SkipWithoutGdcm();
        int[] samples = Ramp(3 * 6 * 7, step: 3);
        byte[] dicom = TestDicomWriter.Write(new TestDicomSpec { Rows = 6, Columns = 7, Frames = 3, Samples = samples, Rle = rle });

        DicomFrame frame = await TestDecoders.DecodeAsync(dicom, 2);

        Assert.Equal(rle ? "1.2.840.10008.1.2.5" : "1.2.840.10008.1.2.1", frame.Image.TransferSyntaxUid);
        Assert.Equal(3, frame.Image.NumberOfFrames);
        Assert.Equal(samples[(2 * 42)..], frame.Samples);
    }

    [Fact]
    public async Task DecodeAsync_RgbRle_Interleaved()
    {
        TestDecoders.SkipWithoutGdcm();
        int[] samples = Ramp(4 * 4 * 3, step: 5);
        byte[] dicom = TestDicomWriter.Write(new TestDicomSpec
        {
            Rows = 4, Columns = 4, SamplesPerPixel = 3, BitsAllocated = 8, BitsStored = 8, Photometric = "RGB", Samples = samples, Rle = true,
        });

        DicomFrame frame = await TestDecoders.DecodeAsync(dicom);

        Assert.Equal(samples, frame.Samples);
        Assert.Equal("RGB", frame.SamplesPhotometric);
    }

    [Fact]
    public async Task DecodeAsync_DeclaredSizeOverLimit_RefusedBeforeDecoding()
    {
        TestDecoders.SkipWithoutGdcm();
        byte[] dicom = TestDicomWriter.Write(new TestDicomSpec { Rows = 8, Columns = 8, Frames = 2, Samples = Ramp(128) });
        var limits = new DicomDecodeLimits { MaxPixels = 100 };

        DicomDecodeResult result = await TestDecoders.Shared.DecodeAsync(dicom, 0, limits, TestContext.Current.CancellationToken);

        Assert.Equal("declared size 8 × 8 × 2 frames exceeds the limit of 100 pixels", result.Error);
    }

    [Fact]
    public async Task DecodeAsync_HostileDeclaredRowsAndColumns_Refused()
    {
        TestDecoders.SkipWithoutGdcm();
        byte[] dicom = TestDicomWriter.Write(new TestDicomSpec { Rows = 4, Columns = 4, Samples = Ramp(16) });
        // Patch Rows and Columns (US, explicit VR LE) to 65535 without touching the tiny pixel data.
        PatchUInt16(dicom, [0x28, 0x00, 0x10, 0x00, (byte)'U', (byte)'S', 0x02, 0x00], 0xFFFF);
        PatchUInt16(dicom, [0x28, 0x00, 0x11, 0x00, (byte)'U', (byte)'S', 0x02, 0x00], 0xFFFF);

        DicomDecodeResult result = await TestDecoders.Shared.DecodeAsync(dicom, 0, DicomDecodeLimits.Default, TestContext.Current.CancellationToken);

        Assert.Equal("declared size 65535 × 65535 × 1 frames exceeds the limit of 100000000 pixels", result.Error);
    }

    private static void PatchUInt16(byte[] dicom, byte[] elementHeader, ushort value)
    {
        int at = dicom.AsSpan().IndexOf(elementHeader);
        Assert.True(at > 0);
        dicom[at + 8] = (byte)value;
        dicom[at + 9] = (byte)(value >> 8);
    }
#endif
}
