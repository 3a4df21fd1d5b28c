namespace MedServe.Dicom.Tests.Gdcm;

/// <summary>Every file of ../shared/testdata/dicom against MANIFEST.md's expected stored values.</summary>
public sealed class SharedDicomFileTests
{
    /// <summary>file, frame, row, column, vertical run?, samples from there on (triplets for colour).</summary>
    public static TheoryData<string, int, int, int, bool, int[]> ExpectedRuns => new()
    {
        { "693_UNCI.dcm", 0, 0, 0, false, [-2016] },
        { "693_UNCI.dcm", 0, 256, 256, false, [1056] },
        { "CT_small.dcm", 0, 24, 36, false, [520, 802, 930, 1008] },
        { "CT_small.dcm", 0, 40, 40, true, [1138, 1165, 1113, 1088, 1072] },
        { "ExplVR_BigEnd.dcm", 0, 9, 3, false, [171, 171, 171, 255, 255, 255, 255, 255, 0] },
        { "ExplVR_BigEnd.dcm", 0, 58, 8, false, [255, 236, 0, 255, 183, 0, 255, 175, 0, 255, 183, 0] },
        { "GDCMJ2K_TextGBR.dcm", 0, 46, 140, false, [255, 0, 0] },
        { "GDCMJ2K_TextGBR.dcm", 0, 350, 195, false, [128, 128, 128] },
        { "J2K_pixelrep_mismatch.dcm", 0, 0, 0, false, [-2000] },
        { "J2K_pixelrep_mismatch.dcm", 0, 47, 279, true, [621, 412, 138, -193, -520, -767, -907, -966, -988, -995] },
        { "J2K_pixelrep_mismatch.dcm", 0, 328, 106, true, [-377, -121, 141, 383, 633, 910, 1198, 1455, 1638, 1732] },
        { "JLSL_16_15_1_1F.dcm", 0, 59, 58, true, [-2073, -2629, -1167, 5566, 11808, 15604] },
        { "JPEG-LL.dcm", 0, 400, 124, false, [60, 58, 61, 68, 59, 65, 64, 67] },
        { "JPEG-LL.dcm", 0, 600, 124, false, [3, 1, 2, 0, 2, 1, 2, 0] },
        { "JPGExtended.dcm", 0, 420, 140, false, [244] },
        { "JPGExtended.dcm", 0, 230, 120, false, [95] },
        { "JPGLosslessP14SV1_1s_1f_8b.dcm", 0, 300, 512, false, [26, 26, 25, 22, 19, 16, 14, 15] },
        { "JPGLosslessP14SV1_1s_1f_8b.dcm", 0, 600, 512, false, [45, 43, 41, 38, 33, 30, 26, 21] },
        { "MR-SIEMENS-DICOM-WithOverlays.dcm", 0, 326, 130, false, [642] },
        { "MR-SIEMENS-DICOM-WithOverlays.dcm", 0, 316, 481, false, [1123] },
        { "MR2_UNCI.dcm", 0, 512, 512, false, [313] },
        { "MR_small.dcm", 0, 0, 31, false, [422, 319, 361] },
        { "MR_small.dcm", 0, 31, 0, false, [366, 363, 322] },
        { "MR_small.dcm", 0, 63, 61, false, [1369, 1129, 862] },
        { "MR_small_implicit.dcm", 0, 0, 31, false, [422, 319, 361] },
        { "MR_small_bigendian.dcm", 0, 0, 31, false, [422, 319, 361] },
        { "MR_small_bigendian.dcm", 0, 63, 63, false, [862] },
        { "MR_small_padded.dcm", 0, 63, 61, false, [1369, 1129, 862] },
        { "MR_small_RLE.dcm", 0, 31, 0, false, [366, 363, 322] },
        { "MR_small_jpeg_ls_lossless.dcm", 0, 55, 35, true, [170, 193, 191, 373, 1293, 2053, 1879, 1683, 1711] },
        { "OBXXXX1A_rle.dcm", 0, 300, 491, false, [1, 246, 1] },
        { "OBXXXX1A_rle.dcm", 0, 0, 0, false, [244, 244, 244] },
        { "SC_jpeg_no_color_transform.dcm", 0, 29, 77, false, [240, 243, 246, 214, 210, 213, 150, 134, 134, 244, 244, 244] },
        { "SC_rgb_dcmtk_+eb+cr.dcm", 0, 5, 50, false, [255, 0, 0] },
        { "SC_rgb_dcmtk_+eb+cr.dcm", 0, 55, 50, false, [128, 128, 255] },
        { "SC_rgb_dcmtk_+eb+cy+s2.dcm", 0, 5, 50, false, [76, 85, 255] },
        { "SC_rgb_jpeg_dcmtk.dcm", 0, 5, 50, false, [76, 85, 255] },
        { "SC_rgb_jpeg_dcmtk.dcm", 0, 45, 50, false, [29, 255, 107] },
        { "SC_rgb_rle.dcm", 0, 25, 50, false, [0, 255, 0] },
        { "SC_rgb_rle.dcm", 0, 85, 50, false, [192, 192, 192] },
        { "SC_rgb_small_odd.dcm", 0, 0, 0, false, [166, 141, 52, 166, 141, 52, 166, 141, 52] },
        { "SC_rgb_small_odd.dcm", 0, 2, 0, false, [158, 158, 158, 158, 158, 158, 158, 158, 158] },
        { "SC_ybr_full_422_uncompressed.dcm", 0, 5, 50, false, [76, 85, 255] },
        { "SC_ybr_full_422_uncompressed.dcm", 0, 95, 50, false, [255, 128, 128] },
        { "emri_small.dcm", 0, 0, 31, false, [206, 197, 159] },
        { "emri_small.dcm", 4, 31, 0, false, [37, 41, 17] },
        { "emri_small.dcm", 9, 63, 61, false, [227, 300, 147] },
        { "emri_small_RLE.dcm", 4, 0, 31, false, [67, 82, 44] },
        { "image_dfl.dcm", 0, 300, 255, false, [138, 65, 65, 65, 65, 35, 35, 35] },
        { "mlut_18.dcm", 0, 0, 0, false, [-1] },
        { "mlut_18.dcm", 0, 511, 511, false, [2047] },
        { "rtdose.dcm", 0, 0, 0, false, [1249000, 1249000, 1250000] },
        { "rtdose.dcm", 7, 0, 0, false, [1253000, 1253000, 1249000] },
        { "rtdose.dcm", 14, 9, 7, false, [801000, 800000, 799000] },
        { "vlut_04.dcm", 0, 178, 126, false, [76] },
        { "vlut_04.dcm", 0, 129, 79, false, [255] },
    };

    public static TheoryData<string, string, int> Twins => new()
    {
        { "693_J2KI.dcm", "693_UNCI.dcm", 0 },
        { "MR2_J2KI.dcm", "MR2_UNCI.dcm", 1 },
        { "US1_J2KR.dcm", "US1_UNCR.dcm", 0 },
        { "US1_J2KI.dcm", "US1_UNCI.dcm", 1 },
        { "JPEG2000.dcm", "JPEG2000_UNC.dcm", 0 },
        { "MR_small_implicit.dcm", "MR_small.dcm", 0 },
        { "MR_small_bigendian.dcm", "MR_small.dcm", 0 },
        { "MR_small_RLE.dcm", "MR_small.dcm", 0 },
        { "MR_small_jp2klossless.dcm", "MR_small.dcm", 0 },
        { "MR_small_jpeg_ls_lossless.dcm", "MR_small.dcm", 0 },
        { "MR_small_padded.dcm", "MR_small.dcm", 0 },
        { "emri_small_RLE.dcm", "emri_small.dcm", 0 },
        { "emri_small_jpeg_2k_lossless.dcm", "emri_small.dcm", 0 },
    };

    [Theory]
    [MemberData(nameof(ExpectedRuns))]
    public async Task DecodeAsync_SharedFile_MatchesManifestValues(string file, int frame, int row, int column, bool vertical, int[] expected)
    {
        DicomFrame decoded = await TestDecoders.DecodeAsync(TestDecoders.SharedFile(file), frame);

        int spp = decoded.Image.SamplesPerPixel;
        var actual = new int[expected.Length];
        for (int i = 0; i < expected.Length; i++)
        {
            int step = i / spp;
            int r = vertical ? row + step : row;
            int c = vertical ? column : column + step;
            actual[i] = decoded.Samples[(((r * decoded.Image.Columns) + c) * spp) + (i % spp)];
        }

        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Twins))]
    public async Task DecodeAsync_CompressedFile_EqualsUncompressedTwin(string compressed, string reference, int tolerance)
    {
        byte[] compressedBytes = TestDecoders.SharedFile(compressed);
        byte[] referenceBytes = TestDecoders.SharedFile(reference);
        DicomFrame expected = await TestDecoders.DecodeAsync(referenceBytes);
        for (int frame = 0; frame < expected.Image.NumberOfFrames; frame++)
        {
            DicomFrame left = await TestDecoders.DecodeAsync(referenceBytes, frame);
            DicomFrame right = await TestDecoders.DecodeAsync(compressedBytes, frame);
            Assert.Equal(left.Samples.Length, right.Samples.Length);
            int worst = 0;
            for (int i = 0; i < left.Samples.Length; i++)
            {
                worst = Math.Max(worst, Math.Abs(left.Samples[i] - right.Samples[i]));
            }

            Assert.True(worst <= tolerance, $"frame {frame}: largest difference {worst} exceeds {tolerance}");
            Assert.Equal(left.SamplesPhotometric, right.SamplesPhotometric);
        }
    }
}
