using MedServe.Dicom.Worker;

namespace MedServe.Dicom.Tests.Gdcm;

/// <summary>Header facts, transforms and refusals of the shared conformance files.</summary>
public sealed class SharedDicomHeaderTests
{
    public static TheoryData<string, int, int, int, int, string, string> Facts => new()
    {
        // file, rows, columns, frames, bits stored, photometric, samples photometric
        { "CT-MONO2-16-ankle", 512, 512, 1, 16, "MONOCHROME2", "MONOCHROME2" },
        { "CR-ModalitySequenceLUT.dcm", 1576, 1976, 1, 10, "MONOCHROME1", "MONOCHROME1" },
        { "RG3_J2KI.dcm", 1760, 1760, 1, 10, "MONOCHROME1", "MONOCHROME1" },
        { "D_CLUNIE_CT1_RLE_FRAGS.dcm", 512, 512, 1, 16, "MONOCHROME2", "MONOCHROME2" },
        { "camelyon16_wsi_multiframe.dcm", 256, 256, 15, 8, "YBR_FULL_422", "YBR_FULL" },
        { "examples_ybr_color.dcm", 240, 320, 30, 8, "YBR_FULL_422", "YBR_FULL" },
        { "US1_J2KI.dcm", 480, 640, 1, 8, "YBR_ICT", "RGB" },
        { "GDCMJ2K_TextGBR.dcm", 400, 400, 1, 8, "YBR_RCT", "RGB" },
        { "OBXXXX1A_rle.dcm", 600, 800, 1, 8, "PALETTE COLOR", "PALETTE COLOR" },
    };

    [Theory]
    [MemberData(nameof(Facts))]
    public async Task DecodeAsync_SharedFile_ReportsHeaderFacts(string file, int rows, int columns, int frames, int bitsStored, string photometric, string samplesPhotometric)
    {
        DicomFrame frame = await TestDecoders.DecodeAsync(TestDecoders.SharedFile(file), frames - 1);

        Assert.Equal((rows, columns, frames, bitsStored), (frame.Image.Rows, frame.Image.Columns, frame.Image.NumberOfFrames, frame.Image.BitsStored));
        Assert.Equal(photometric, frame.Image.PhotometricInterpretation);
        Assert.Equal(samplesPhotometric, frame.SamplesPhotometric);
        Assert.Equal(rows * columns * frame.Image.SamplesPerPixel, frame.Samples.Length);
    }

    [Fact]
    public async Task DecodeAsync_CtSmall_ReadsRescaleAndSignedness()
    {
        DicomFrame frame = await TestDecoders.DecodeAsync(TestDecoders.SharedFile("CT_small.dcm"));

        Assert.Equal(-1024, frame.Image.RescaleIntercept);
        Assert.Equal(1, frame.Image.RescaleSlope);
        Assert.True(frame.Image.IsSigned);
        Assert.Equal((128, 2191), (frame.Samples.Min(), frame.Samples.Max()));
    }

    [Fact]
    public async Task DecodeAsync_Mr2_ReadsFractionalRescaleAsDouble()
    {
        DicomFrame frame = await TestDecoders.DecodeAsync(TestDecoders.SharedFile("MR2_J2KI.dcm"));

        Assert.Equal(3.774114, frame.Image.RescaleSlope, 9);
        Assert.Equal(0.000061, frame.Image.RescaleIntercept, 9);
        Assert.Equal(new DicomWindow(1000, 2000), frame.Image.Windows[0]);
    }

    [Fact]
    public async Task DecodeAsync_SiemensOverlays_ReadsEveryWindow()
    {
        DicomFrame frame = await TestDecoders.DecodeAsync(TestDecoders.SharedFile("MR-SIEMENS-DICOM-WithOverlays.dcm"));

        Assert.Equal([new DicomWindow(450, 790), new DicomWindow(200, 443)], frame.Image.Windows);
    }

    [Fact]
    public async Task DecodeAsync_Mlut18_ReadsSignedModalityLut()
    {
        DicomFrame frame = await TestDecoders.DecodeAsync(TestDecoders.SharedFile("mlut_18.dcm"));

        DicomLut lut = Assert.IsType<DicomLut>(frame.Image.ModalityLut);
        Assert.Equal((-2048, 16, 4096), (lut.FirstMappedValue, lut.BitsPerEntry, lut.Data.Count));
        Assert.Equal((-2048, 2047), (frame.Samples.Min(), frame.Samples.Max()));
    }

    [Fact]
    public async Task DecodeAsync_CrModalitySequence_ReadsLutOf1024Entries()
    {
        DicomFrame frame = await TestDecoders.DecodeAsync(TestDecoders.SharedFile("CR-ModalitySequenceLUT.dcm"));

        DicomLut lut = Assert.IsType<DicomLut>(frame.Image.ModalityLut);
        Assert.Equal((0, 16, 1024), (lut.FirstMappedValue, lut.BitsPerEntry, lut.Data.Count));
        Assert.Equal((0, 1023), (lut.Data.Min(), lut.Data.Max()));
    }

    [Fact]
    public async Task DecodeAsync_Vlut04_ReadsVoiLutData()
    {
        DicomFrame frame = await TestDecoders.DecodeAsync(TestDecoders.SharedFile("vlut_04.dcm"));

        DicomLut lut = Assert.IsType<DicomLut>(frame.Image.VoiLut);
        Assert.Equal((0, 16, 256), (lut.FirstMappedValue, lut.BitsPerEntry, lut.Data.Count));
        Assert.Equal((0, 19532, 45746, 65535), (lut.Data[0], lut.Data[76], lut.Data[178], lut.Data[255]));
    }

    [Fact]
    public async Task DecodeAsync_PaletteColour_ReadsThreeLuts()
    {
        DicomFrame frame = await TestDecoders.DecodeAsync(TestDecoders.SharedFile("OBXXXX1A_rle.dcm"));

        DicomPalette palette = Assert.IsType<DicomPalette>(frame.Image.Palette);
        Assert.Equal(palette.Red.Data.Count, palette.Blue.Data.Count);
        Assert.True(palette.Red.Data.Count >= 256);
    }

    [Theory]
    [InlineData("liver_1frame.dcm", "BitsAllocated 1 (segmentation objects) is not supported")]
    public async Task DecodeAsync_UnsupportedFile_RefusesWithReason(string file, string message)
    {
        DicomDecodeResult result = await TestDecoders.Shared.DecodeAsync(TestDecoders.SharedFile(file), 0, DicomDecodeLimits.Default, TestContext.Current.CancellationToken);

        Assert.Equal(message, result.Error);
    }

    [Fact]
    public async Task DecodeAsync_Htj2k_DecodesThroughTheJpeg2000CodecAndKeepsItsUid()
    {
        // MANIFEST [PR]: arr[160, 295:305] and arr[275:277, 635] (RGB).
        DicomDecodeResult result = await TestDecoders.Shared.DecodeAsync(TestDecoders.SharedFile("HTJ2K_08_RGB.dcm"), 0, DicomDecodeLimits.Default, TestContext.Current.CancellationToken);

        Assert.True(result.IsSuccess, result.Error);
        DicomFrame frame = result.Frame;
        Assert.Equal("1.2.840.10008.1.2.4.203", frame.Image.TransferSyntaxUid);
        Assert.Equal("RGB", frame.SamplesPhotometric);
        int[][] expected = [[91, 37, 2], [94, 40, 1], [97, 42, 5], [174, 123, 59], [172, 132, 69], [169, 134, 74], [168, 136, 77], [168, 137, 80], [168, 136, 80], [169, 136, 78]];
        for (int i = 0; i < expected.Length; i++)
        {
            int o = ((160 * 640) + 295 + i) * 3;
            Assert.Equal(expected[i], frame.Samples[o..(o + 3)]);
        }

        Assert.Equal([207, 193, 171], frame.Samples[(((275 * 640) + 635) * 3)..((((275 * 640) + 635) * 3) + 3)]);
        Assert.Equal([238, 229, 215], frame.Samples[(((276 * 640) + 635) * 3)..((((276 * 640) + 635) * 3) + 3)]);
    }

    [Fact]
    public async Task DecodeAsync_Gh364StrayItem_IsRepairedAndDecodes()
    {
        // MANIFEST [FO GH364]: the attributes after the stray item at (0018,5020) must be found.
        DicomDecodeResult result = await TestDecoders.Shared.DecodeAsync(TestDecoders.SharedFile("GH364.dcm"), 0, DicomDecodeLimits.Default, TestContext.Current.CancellationToken);

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal((768, 1024), (result.Frame.Image.Rows, result.Frame.Image.Columns));
        Assert.Equal("1.2.840.10008.1.2.4.80", result.Frame.Image.TransferSyntaxUid);
        Assert.Equal([new DicomWindow(127, 254)], result.Frame.Image.Windows);
        Assert.Contains(result.Frame.Samples, v => v > 0);
    }

    [Fact]
    public async Task ReadHeaderAsync_Htj2k_NamesTheRealSyntax()
    {
        DicomHeaderResult result = await TestDecoders.Shared.ReadHeaderAsync(TestDecoders.SharedFile("HTJ2K_08_RGB.dcm"), TestContext.Current.CancellationToken);

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal("High-Throughput JPEG 2000", result.Header.TransferSyntaxName);
    }

    [Fact]
    public async Task DecodeAsync_FrameOutOfRange_NamesTheRange()
    {
        DicomDecodeResult result = await TestDecoders.Shared.DecodeAsync(TestDecoders.SharedFile("emri_small.dcm"), 10, DicomDecodeLimits.Default, TestContext.Current.CancellationToken);

        Assert.Equal("dicom_frame 10 is out of range: the file has 10 frames (0 to 9)", result.Error);
    }

    [Fact]
    public async Task ReadHeaderAsync_SharedFile_GivesFactsAndSyntaxName()
    {
        DicomHeaderResult result = await TestDecoders.Shared.ReadHeaderAsync(TestDecoders.SharedFile("JLSL_16_15_1_1F.dcm"), TestContext.Current.CancellationToken);

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal("JPEG-LS Lossless", result.Header.TransferSyntaxName);
        Assert.Equal((15, true), (result.Header.Image.BitsStored, result.Header.Image.IsSigned));
    }
}
