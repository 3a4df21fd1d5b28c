using System.Net;
using System.Text.Json;
using MedServe.Testing;
using SkiaSharp;
#if MEDSERVE_GDCM
using MedServe.Dicom.Tests.Gdcm;
#endif

namespace MedServe.Server.Tests;

/// <summary>
/// DICOM cells through the real server: each DICOM request must embed exactly like the PNG of the
/// 8-bit image the chosen normalisation defines, computed here by hand.
/// </summary>
public sealed class DicomScoringTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string GdcmMissing = "needs GDCM's C# binding (Debian package libgdcm-cil), which eng/install-deps.sh installs";
    private const int Side = 32;

    private static string ImageRequest(byte[] image, string? paramsJson = null) =>
        "{\"input_data\": {\"columns\": [\"image\"], \"index\": [0], \"data\": [[\"" + Convert.ToBase64String(image) + "\"]]}"
        + (paramsJson is null ? "" : ", \"params\": " + paramsJson) + "}";

    private async Task<float[]> EmbedAsync(byte[] image, string? paramsJson = null)
    {
        var response = await server.PostAsync(ImageRequest(image, paramsJson));
        string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var doc = JsonDocument.Parse(body);
        return Expectations.Floats(doc.RootElement[0].GetProperty("image_features")[0]);
    }

    private async Task<string> RefusedAsync(byte[] image, string? paramsJson = null)
    {
        var response = await server.PostAsync(ImageRequest(image, paramsJson));
        string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync("""{"input_data": {"columns": ["text"], "data": [["lung"]]}}""")).StatusCode);
        return JsonDocument.Parse(body).RootElement.GetProperty("message").GetString()!;
    }

    /// <summary>A gray PNG of exactly these 8-bit values.</summary>
    private static byte[] GrayPng(Func<int, int, int> value)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(Side, Side, SKColorType.Gray8, SKAlphaType.Opaque));
        for (int y = 0; y < Side; y++)
        {
            for (int x = 0; x < Side; x++)
            {
                byte v = (byte)value(x, y);
                bitmap.SetPixel(x, y, new SKColor(v, v, v));
            }
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    // Stored values spanning exactly 0..255 (x·8 + y/4), so "minmax" maps them to themselves.
    private static int Pattern(int x, int y) => Math.Min(255, (x * 8) + (y / 4));

    [Fact]
    public async Task Score_NotAnImageNorDicom_NamesAllThreeFormats()
    {
        string message = await RefusedAsync("neither an image nor DICOM"u8.ToArray());
        Assert.Equal("row 0, column 'image': not a PNG, JPEG or DICOM image", message);
    }

#if MEDSERVE_GDCM
    private static byte[] Dicom(Func<int, int, int, int> sample, string photometric = "MONOCHROME2", int frames = 1,
        double? slope = null, double? intercept = null, IReadOnlyList<(double Center, double Width)>? windows = null, bool rle = false)
    {
        int[] samples = new int[frames * Side * Side];
        for (int f = 0; f < frames; f++)
        {
            for (int y = 0; y < Side; y++)
            {
                for (int x = 0; x < Side; x++)
                {
                    samples[(f * Side * Side) + (y * Side) + x] = sample(f, x, y);
                }
            }
        }

        return TestDicomWriter.Write(new TestDicomSpec
        {
            Rows = Side,
            Columns = Side,
            Frames = frames,
            Samples = samples,
            Photometric = photometric,
            RescaleSlope = slope,
            RescaleIntercept = intercept,
            Windows = windows ?? [],
            Rle = rle,
        });
    }

    [Fact]
    public async Task Score_DicomMinMax_EmbedsLikeThePngOfTheSameValues()
    {
        byte[] dicom = Dicom((_, x, y) => Pattern(x, y));
        float[] fromDicom = await EmbedAsync(dicom, "{\"normalization\": \"minmax\"}");
        float[] fromPng = await EmbedAsync(GrayPng(Pattern));
        Assert.Equal(fromPng, fromDicom);
    }

    [Fact]
    public async Task Score_Monochrome1_IsInvertedLikeTheClientsShouldHaveDone()
    {
        byte[] dicom = Dicom((_, x, y) => Pattern(x, y), photometric: "MONOCHROME1", rle: true);
        float[] fromDicom = await EmbedAsync(dicom, "{\"normalization\": \"minmax\"}");
        float[] inverted = await EmbedAsync(GrayPng((x, y) => 255 - Pattern(x, y)));
        Assert.Equal(inverted, fromDicom);
    }

    [Fact]
    public async Task Score_WindowPreset_AppliesRescaleThenTheFirstWindow()
    {
        // Stored 1024..1279 with intercept -1024 → 0..255; LINEAR window c=128, w=257 maps v to
        // ((v − 127.5)/256 + 0.5)·255 rounded: v=0 → 0, v=255 → 254. The second window must be ignored.
        byte[] dicom = Dicom((_, x, y) => 1024 + Pattern(x, y), slope: 1, intercept: -1024, windows: [(128, 257), (10, 20)]);
        float[] fromDicom = await EmbedAsync(dicom, "{\"normalization\": \"window\"}");
        float[] expected = await EmbedAsync(GrayPng((x, y) => (int)Math.Round((((Pattern(x, y) - 127.5) / 256.0) + 0.5) * 255, MidpointRounding.AwayFromZero)));
        Assert.Equal(expected, fromDicom);
    }

    [Fact]
    public async Task Score_DicomFrame_SelectsTheFrame()
    {
        byte[] dicom = Dicom((f, x, y) => f == 1 ? Pattern(x, y) : 255 - Pattern(x, y), frames: 3);
        float[] frame1 = await EmbedAsync(dicom, "{\"normalization\": \"minmax\", \"dicom_frame\": 1}");
        Assert.Equal(await EmbedAsync(GrayPng(Pattern)), frame1);
        float[] frame0 = await EmbedAsync(dicom, "{\"normalization\": \"minmax\"}");
        Assert.Equal(await EmbedAsync(GrayPng((x, y) => 255 - Pattern(x, y))), frame0);
    }

    [Fact]
    public async Task Score_DicomFrameOutOfRange_Returns400NamingTheRange()
    {
        byte[] dicom = Dicom((_, x, y) => Pattern(x, y), frames: 2);
        Assert.Equal("row 0, column 'image': dicom_frame 5 is out of range: the file has 2 frames (0 to 1)",
            await RefusedAsync(dicom, "{\"dicom_frame\": 5}"));
    }

    [Fact]
    public async Task Score_DefaultPercentile_DiffersFromMinMaxOnOutliers()
    {
        // One hot pixel: 1–99 % clipping ignores it, min–max does not.
        byte[] dicom = Dicom((_, x, y) => x == 0 && y == 0 ? 4000 : Pattern(x, y));
        Assert.NotEqual(await EmbedAsync(dicom, "{\"normalization\": \"minmax\"}"), await EmbedAsync(dicom));
    }

    [Theory]
    [InlineData("{\"normalization\": \"fancy\"}", "param 'normalization': normalization 'fancy' is not one of window, percentile, percentile:LOW:HIGH, percentile_nonzero:LOW:HIGH, ct:SITE, minmax")]
    [InlineData("{\"normalization\": \"ct:brain\"}", "param 'normalization': normalization 'ct:brain' has an unknown CT site; sites are abdomen, lung, pelvis, liver, colon, pancreas")]
    [InlineData("{\"normalization\": 3}", "param 'normalization' must be a string")]
    [InlineData("{\"dicom_frame\": -1}", "param 'dicom_frame' must be an integer from 0 to 1000000")]
    public async Task Score_BadDicomParams_Return400(string paramsJson, string messageStart)
    {
        byte[] dicom = Dicom((_, x, y) => Pattern(x, y));
        Assert.StartsWith(messageStart, await RefusedAsync(dicom, paramsJson), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_TruncatedDicom_Returns400AndKeepsServing()
    {
        byte[] dicom = Dicom((_, x, y) => Pattern(x, y));
        string message = await RefusedAsync(dicom.AsSpan(0, dicom.Length - 700).ToArray());
        Assert.StartsWith("row 0, column 'image': ", message, StringComparison.Ordinal);
    }
    [Fact]
    public async Task Score_DicomWithoutPixelData_Returns400()
    {
        byte[] report = MinimalDicom.Build(
        [
            (0x0008, 0x0016, "UI", MinimalDicom.Uid("1.2.840.10008.5.1.4.1.1.88.11")),
            (0x0008, 0x0018, "UI", MinimalDicom.Uid("1.2.3.4.5.6.8")),
            (0x0008, 0x0060, "CS", MinimalDicom.Text("SR")),
        ]);
        Assert.Equal("row 0, column 'image': the DICOM file has no pixel data (e.g. a structured report)", await RefusedAsync(report));
    }

    [Fact]
    public async Task Score_DicomDeclaringMorePixelsThanTheLimit_Returns400BeforeDecoding()
    {
        // 10000 × 10000 declared, 16 bytes present: refused from the header (the fixture's limit is 40 M pixels).
        byte[] bomb = MinimalDicom.Image(10000, 10000, "MONOCHROME2", new byte[16]);
        Assert.Equal("row 0, column 'image': declared size 10000 × 10000 × 1 frames exceeds the limit of 40000000 pixels", await RefusedAsync(bomb));
    }

    [Fact]
    public async Task Score_UnsupportedPhotometricInterpretation_Returns400()
    {
        byte[] hsv = MinimalDicom.Image(2, 2, "HSV", new byte[12], samplesPerPixel: 3);
        string message = await RefusedAsync(hsv);
        Assert.StartsWith("row 0, column 'image': ", message, StringComparison.Ordinal);
        Assert.Contains("HSV", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_HandBuiltDicom_IsDecoded()
    {
        // The same writer as the refusals above, with a valid shape: proves those 400s are about the shape.
        byte[] pixels = [.. Enumerable.Range(0, 16).Select(i => (byte)(i * 16))];
        Assert.Equal(1024, (await EmbedAsync(MinimalDicom.Image(4, 4, "MONOCHROME2", pixels), "{\"normalization\": \"minmax\"}")).Length);
    }
#else
    [Fact]
    public void Dicom_EndToEnd_NeedsGdcm() => Assert.Skip(GdcmMissing);
#endif

    [Theory]
    [InlineData("CT_small.dcm", "{\"normalization\": \"ct:abdomen\"}")]
    [InlineData("RG3_J2KI.dcm", null)]
    [InlineData("MR-SIEMENS-DICOM-WithOverlays.dcm", "{\"normalization\": \"window\"}")]
    [InlineData("US1_J2KR.dcm", null)]
    [InlineData("examples_ybr_color.dcm", "{\"dicom_frame\": 29}")]
    [InlineData("OBXXXX1A_rle.dcm", null)]
    [InlineData("HTJ2K_08_RGB.dcm", null)]
    public async Task Score_SharedConformanceFile_IsEmbedded(string file, string? paramsJson)
    {
        string? path = SharedTestData.File("dicom/" + file);
        Assert.SkipWhen(path is null, SharedTestData.MissingReason);
#if !MEDSERVE_GDCM
        Assert.Skip(GdcmMissing);
#endif
        float[] features = await EmbedAsync(await File.ReadAllBytesAsync(path!, TestContext.Current.CancellationToken), paramsJson);
        Assert.Equal(1024, features.Length);
    }

    [Theory]
    [InlineData("liver_1frame.dcm", "row 0, column 'image': BitsAllocated 1 (segmentation objects) is not supported")]
    public async Task Score_UnsupportedSharedFile_Returns400(string file, string messageStart)
    {
        string? path = SharedTestData.File("dicom/" + file);
        Assert.SkipWhen(path is null, SharedTestData.MissingReason);
#if !MEDSERVE_GDCM
        Assert.Skip(GdcmMissing);
#endif
        Assert.StartsWith(messageStart, await RefusedAsync(await File.ReadAllBytesAsync(path!, TestContext.Current.CancellationToken)), StringComparison.Ordinal);
    }
}
