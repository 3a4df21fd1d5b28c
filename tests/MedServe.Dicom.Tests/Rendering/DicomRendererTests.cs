using MedServe.Dicom.Rendering;
using MedServe.Imaging;

namespace MedServe.Dicom.Tests.Rendering;

public sealed class DicomRendererTests
{
    public static TheoryData<string> DataDrivenPresets => ["window", "minmax", "percentile:1:99", "percentile_nonzero:0.5:99.5"];

    public static TheoryData<string> Presets => ["window", "window_lut", "window_none", "minmax", "percentile:1:99", "percentile_nonzero:0.5:99.5", "ct:abdomen"];

    [Fact]
    public void Render_Monochrome_IsGray8WithFrameGeometry()
    {
        DicomFrame frame = TestFrames.Mono([0, 1, 2, 3, 4, 5]);
        frame = frame with { Image = frame.Image with { Rows = 2, Columns = 3 } };
        PixelBuffer result = DicomRenderer.Render(frame, MinMaxNormalization.Instance);
        Assert.Equal((3, 2, PixelFormat.Gray8), (result.Width, result.Height, result.Format));
        Assert.Equal([0, 51, 102, 153, 204, 255], result.Data);
    }

    [Fact]
    public void Render_WindowWithoutVoi_FallsBackToMinMax()
    {
        // (x - 10) / 50 * 255, truncated.
        Assert.Equal([0, 51, 102, 153, 204, 255], TestFrames.Render(TestFrames.Mono([10, 20, 30, 40, 50, 60]), WindowNormalization.Instance));
    }

    [Fact]
    public void Render_Window_AppliesRescaleBeforeWindow()
    {
        // Stored s → 0.25 s - 0.75 = [-0.75, -0.5, -0.25, 0, 0.25, 0.5]; window c = 0.5, w = 2 → (x + 0.5) · 255.
        DicomFrame frame = TestFrames.Mono([0, 1, 2, 3, 4, 5], configure: i => i with
        {
            RescaleSlope = 0.25,
            RescaleIntercept = -0.75,
            Windows = [new DicomWindow(0.5, 2)],
        });
        Assert.Equal([0, 0, 64, 128, 191, 255], TestFrames.Render(frame, WindowNormalization.Instance));
    }

    [Fact]
    public void Render_SeveralWindows_UsesTheFirst()
    {
        DicomFrame frame = TestFrames.Mono([-1, 0, 1], configure: i => i with { Windows = [new DicomWindow(0.5, 2), new DicomWindow(1000, 10)] });
        Assert.Equal([0, 128, 255], TestFrames.Render(frame, WindowNormalization.Instance));
    }

    [Fact]
    public void Render_WindowAndVoiLut_PrefersTheWindow()
    {
        DicomFrame frame = TestFrames.Mono([-1, 0, 1], configure: i => i with
        {
            Windows = [new DicomWindow(0.5, 2)],
            VoiLut = new DicomLut(-1, 8, [7, 7, 7]),
        });
        Assert.Equal([0, 128, 255], TestFrames.Render(frame, WindowNormalization.Instance));
    }

    [Fact]
    public void Render_NoWindow_UsesVoiLut()
    {
        DicomFrame frame = TestFrames.Mono([0, 1, 2, 3], configure: i => i with { VoiLut = new DicomLut(1, 16, [0, 65535, 32768]) });
        Assert.Equal([0, 0, 255, 128], TestFrames.Render(frame, WindowNormalization.Instance));
    }

    [Fact]
    public void Render_UnusableFirstWindow_FallsBackToMinMax()
    {
        DicomFrame frame = TestFrames.Mono([10, 20, 60], configure: i => i with { Windows = [new DicomWindow(20, 0)] });
        Assert.Equal([0, 51, 255], TestFrames.Render(frame, WindowNormalization.Instance));
    }

    [Fact]
    public void Render_LinearExactAndSigmoidFromFile_AreApplied()
    {
        DicomFrame exact = TestFrames.Mono([-3, -1, 0, 1, 3], configure: i => i with { Windows = [new DicomWindow(0, 4, "LINEAR_EXACT")] });
        DicomFrame sigmoid = TestFrames.Mono([-100, 0, 100], configure: i => i with { Windows = [new DicomWindow(0, 4, "SIGMOID")] });
        Assert.Equal([0, 64, 128, 191, 255], TestFrames.Render(exact, WindowNormalization.Instance));
        Assert.Equal([0, 128, 255], TestFrames.Render(sigmoid, WindowNormalization.Instance));
    }

    [Fact]
    public void Render_PercentileAllPixels_ClipsAndTruncates()
    {
        // Bounds 0 and 95.8 (see PercentilesTests); 5 → 13.3, 10 → 26.6, 40 → 106.5, 20 → 53.2, 30 → 79.9.
        DicomFrame frame = TestFrames.Mono([5, 0, 0, 100, 10, 40, 20, 30]);
        Assert.Equal([13, 0, 0, 255, 26, 106, 53, 79], TestFrames.Render(frame, DicomNormalization.CxrReportGenDefault));
    }

    [Fact]
    public void Render_PercentileNonZero_ExcludesZerosFromBoundsOnly()
    {
        // Bounds 5.125 and 98.5; zeros still map (clipped to 0); 10 → 13.3, 40 → 95.2, 20 → 40.6, 30 → 67.9.
        DicomFrame frame = TestFrames.Mono([5, 0, 0, 100, 10, 40, 20, 30]);
        Assert.Equal([0, 0, 0, 255, 13, 95, 40, 67], TestFrames.Render(frame, DicomNormalization.MedImageParseDefault));
    }

    [Fact]
    public void Render_PercentileNonZeroOnAllZeroFrame_IsBlack()
    {
        Assert.Equal([0, 0, 0], TestFrames.Render(TestFrames.Mono([0, 0, 0]), DicomNormalization.MedImageParseDefault));
    }

    [Theory]
    [InlineData("abdomen", -150, 250)]
    [InlineData("lung", -1000, 1000)]
    [InlineData("pelvis", -55, 200)]
    [InlineData("liver", -25, 230)]
    [InlineData("colon", -68, 187)]
    [InlineData("pancreas", -100, 200)]
    public void Render_CtSite_WindowsModalityOutput(string site, int low, int high)
    {
        // HU = stored / 2 - 0, so stored = 2 HU; the midpoint gives 127.5, truncated to 127.
        double mid = (low + high) / 2.0;
        int[] stored = [2 * (low - 1), 2 * low, (int)(2 * mid), 2 * high, 2 * (high + 1)];
        DicomFrame frame = TestFrames.Mono(stored, configure: i => i with { RescaleSlope = 0.5 });
        Assert.True(DicomNormalization.TryParse("ct:" + site, out DicomNormalization preset, out _));
        Assert.Equal([0, 0, 127, 255, 255], TestFrames.Render(frame, preset));
    }

    [Fact]
    public void Render_CtWithIntercept_UsesHounsfieldUnits()
    {
        // Stored 0..: HU = stored - 1024; abdomen [-150, 250]: stored 874 → 0, 1074 (HU 50) → 127, 1274 → 255.
        DicomFrame frame = TestFrames.Mono([0, 874, 1074, 1274, 4095], configure: i => i with { RescaleIntercept = -1024 });
        Assert.Equal([0, 0, 127, 255, 255], TestFrames.Render(frame, new CtWindowNormalization("abdomen", -150, 250)));
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void Render_Monochrome1_IsInvertedInEveryPreset(string preset)
    {
        int[] stored = [0, 3, 10, 20, 40, 100, 7, 55];
        Func<DicomImage, DicomImage> configure = preset switch
        {
            "window" => i => i with { Windows = [new DicomWindow(30, 41)] },
            "window_lut" => i => i with { VoiLut = new DicomLut(0, 8, [.. Enumerable.Range(0, 101).Select(v => v * 2)]) },
            _ => i => i,
        };
        DicomNormalization normalization = preset.StartsWith("window", StringComparison.Ordinal)
            ? WindowNormalization.Instance
            : Parse(preset);

        byte[] mono2 = TestFrames.Render(TestFrames.Mono(stored, "MONOCHROME2", configure), normalization);
        byte[] mono1 = TestFrames.Render(TestFrames.Mono(stored, "MONOCHROME1", configure), normalization);

        Assert.Contains(mono2, b => b is > 0 and < 255);
        Assert.Equal(mono2.Select(b => (byte)(255 - b)), mono1);
    }

    [Fact]
    public void Render_Monochrome1Window_HasExactInvertedBytes()
    {
        DicomFrame frame = TestFrames.Mono([-1, 0, 1], "MONOCHROME1", i => i with { Windows = [new DicomWindow(0.5, 2)] });
        Assert.Equal([255, 127, 0], TestFrames.Render(frame, WindowNormalization.Instance));
    }

    [Theory]
    [MemberData(nameof(DataDrivenPresets))]
    public void Render_ConstantFrame_DoesNotDivideByZero(string preset)
    {
        DicomNormalization normalization = preset.StartsWith("window", StringComparison.Ordinal) ? WindowNormalization.Instance : Parse(preset);
        byte[] mono2 = TestFrames.Render(TestFrames.Mono([7, 7, 7, 7]), normalization);
        byte[] mono1 = TestFrames.Render(TestFrames.Mono([7, 7, 7, 7], "MONOCHROME1"), normalization);
        Assert.Equal([0, 0, 0, 0], mono2);
        Assert.Equal([255, 255, 255, 255], mono1);
    }

    [Fact]
    public void Render_Signed16Bit_MinMaxSpansFullRange()
    {
        // (x + 32768) / 65535 * 255: -16384 → 63.75, truncated to 63.
        DicomFrame frame = TestFrames.Mono([-32768, -16384, 32767], signed: true);
        Assert.Equal([0, 63, 255], TestFrames.Render(frame, MinMaxNormalization.Instance));
    }

    [Fact]
    public void Render_Signed16BitWithWindow_UsesSignedValues()
    {
        DicomFrame frame = TestFrames.Mono([-1000, -1, 0, 1, 3000], signed: true, configure: i => i with { Windows = [new DicomWindow(0.5, 2)] });
        Assert.Equal([0, 0, 128, 255, 255], TestFrames.Render(frame, WindowNormalization.Instance));
    }

    [Fact]
    public void Render_Rgb8_PassesThrough()
    {
        int[] samples = [0, 1, 2, 128, 254, 255];
        PixelBuffer result = DicomRenderer.Render(TestFrames.Color(samples, "RGB"), MinMaxNormalization.Instance);
        Assert.Equal((2, 1, PixelFormat.Rgb8), (result.Width, result.Height, result.Format));
        Assert.Equal([0, 1, 2, 128, 254, 255], result.Data);
    }

    [Fact]
    public void Render_FileYbrDeliveredAsRgb_FollowsSamplesPhotometric()
    {
        DicomFrame frame = TestFrames.Color([10, 20, 30], "RGB");
        frame = frame with { Image = frame.Image with { PhotometricInterpretation = "YBR_FULL_422" } };
        Assert.Equal([10, 20, 30], TestFrames.Render(frame, WindowNormalization.Instance));
    }

    [Fact]
    public void Render_Rgb16_ScalesToEightBitsRounded()
    {
        // v * 255 / 65535: 32768 → 127.502 → 128, 128 → 0.498 → 0, 129 → 0.502 → 1.
        int[] samples = [0, 65535, 32768, 257, 128, 129];
        Assert.Equal([0, 255, 128, 1, 0, 1], TestFrames.Render(TestFrames.Color(samples, "RGB", bitsStored: 16), WindowNormalization.Instance));
    }

    [Fact]
    public void Render_Rgb12_ScalesByBitsStored()
    {
        // v * 255 / 4095: 2048 → 127.53 → 128.
        Assert.Equal([255, 128, 0], TestFrames.Render(TestFrames.Color([4095, 2048, 0], "RGB", bitsStored: 12), WindowNormalization.Instance));
    }

    [Theory]
    [InlineData("YBR_FULL")]
    [InlineData("YBR_FULL_422")]
    [InlineData("YBR_ICT")]
    public void Render_YbrFull_ConvertsKnownColours(string photometric)
    {
        int[] samples =
        [
            128, 128, 128, // mid grey
            255, 128, 128, // white
            0, 128, 128,   // black
            76, 85, 255,   // red: R = 76 + 1.402·127 = 254.05, G = 0.10, B = -0.20
            29, 255, 107,  // blue: R = -0.44, G = 0.29, B = 29 + 1.772·127 = 254.04
            100, 150, 90,  // R = 46.72, G = 119.57, B = 138.98
        ];
        byte[] expected = [128, 128, 128, 255, 255, 255, 0, 0, 0, 254, 0, 0, 0, 0, 254, 47, 120, 139];
        Assert.Equal(expected, TestFrames.Render(TestFrames.Color(samples, photometric), MinMaxNormalization.Instance));
    }

    [Fact]
    public void Render_YbrRct_InvertsReversibleTransform()
    {
        // (R, G, B) = (200, 100, 50) → Y 112, Cb -50, Cr 100; (10, 100, 20) → Y 57, Cb -80, Cr -90 (floor of a negative quarter).
        int[] samples = [112, -50, 100, 57, -80, -90];
        Assert.Equal([200, 100, 50, 10, 100, 20], TestFrames.Render(TestFrames.Color(samples, "YBR_RCT"), WindowNormalization.Instance));
    }

    [Fact]
    public void Render_PaletteSixteenBit_ScalesAndClampsIndices()
    {
        var palette = new DicomPalette(
            new DicomLut(0, 16, [0, 65535, 0x8000]),
            new DicomLut(0, 16, [65535, 0, 257]),
            new DicomLut(0, 16, [0, 0, 65535]));
        DicomFrame frame = TestFrames.Mono([0, 1, 2, 5, -1], "PALETTE COLOR", i => i with { Palette = palette });
        PixelBuffer result = DicomRenderer.Render(frame, WindowNormalization.Instance);
        Assert.Equal(PixelFormat.Rgb8, result.Format);
        Assert.Equal([0, 255, 0, 255, 0, 0, 128, 1, 255, 128, 1, 255, 0, 255, 0], result.Data);
    }

    [Fact]
    public void Render_PaletteEightBitWithFirstMappedValue_IndexesFromIt()
    {
        var palette = new DicomPalette(new DicomLut(10, 8, [1, 2]), new DicomLut(10, 8, [3, 4]), new DicomLut(11, 8, [5, 6]));
        DicomFrame frame = TestFrames.Mono([10, 11], "PALETTE COLOR", i => i with { Palette = palette }, bitsStored: 8);
        Assert.Equal([1, 3, 5, 2, 4, 5], TestFrames.Render(frame, WindowNormalization.Instance));
    }

    [Fact]
    public void Render_PaletteWithoutPalette_IsRefused()
    {
        var ex = Assert.Throws<DicomRenderException>(() => TestFrames.Render(TestFrames.Mono([0], "PALETTE COLOR"), WindowNormalization.Instance));
        Assert.Equal("palette color image has no palette", ex.Message);
    }

    [Theory]
    [InlineData("YBR_PARTIAL_420")]
    [InlineData("CMYK")]
    [InlineData("")]
    public void Render_UnsupportedPhotometric_IsRefused(string photometric)
    {
        var ex = Assert.Throws<DicomRenderException>(() => TestFrames.Render(TestFrames.Mono([0, 0, 0], photometric), WindowNormalization.Instance));
        Assert.Equal($"photometric interpretation '{photometric}' is not supported", ex.Message);
    }

    [Fact]
    public void Render_ColourWithOneSamplePerPixel_IsRefused()
    {
        var ex = Assert.Throws<DicomRenderException>(() => TestFrames.Render(TestFrames.Mono([1, 2, 3, 4], "RGB"), WindowNormalization.Instance));
        Assert.Contains("3 sample(s)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UnresolvedModelDefault_Throws()
    {
        Assert.Throws<ArgumentException>(() => TestFrames.Render(TestFrames.Mono([1, 2]), ModelDefaultPercentileNormalization.Instance));
    }

    [Fact]
    public void Render_InvalidPercentileBounds_Throws()
    {
        Assert.Throws<ArgumentException>(() => TestFrames.Render(TestFrames.Mono([1, 2]), new PercentileNormalization(60, 40, NonZeroOnly: false)));
    }

    private static DicomNormalization Parse(string text)
    {
        Assert.True(DicomNormalization.TryParse(text, out DicomNormalization value, out string error), error);
        return value;
    }
}
