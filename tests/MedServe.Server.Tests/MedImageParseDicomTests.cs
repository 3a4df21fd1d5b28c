using System.Net;
using System.Text.Json;
#if MEDSERVE_GDCM
using MedServe.Dicom.Tests.Gdcm;
#endif

namespace MedServe.Server.Tests;

/// <summary>
/// A DICOM CT through MedImageParse with the toolkit's preparation done server-side: the HU window
/// decides what the image-following query sees, and the mask comes back in the DICOM's geometry.
/// </summary>
public sealed class MedImageParseDicomTests(ParseServerFixture server) : IClassFixture<ParseServerFixture>
{
    private const string GdcmMissing = "needs GDCM's C# binding (Debian package libgdcm-cil), which eng/install-deps.sh installs";
    private const int Width = 40;
    private const int Height = 24;

#if MEDSERVE_GDCM
    /// <summary>A CT slice (rescale −1024) of HU 0 on the left half and HU 200 on the right.</summary>
    private static byte[] CtSlice() => TestDicomWriter.Write(new TestDicomSpec
    {
        Rows = Height,
        Columns = Width,
        Samples = [.. Enumerable.Range(0, Width * Height).Select(i => (i % Width) < Width / 2 ? 1024 : 1224)],
        RescaleSlope = 1,
        RescaleIntercept = -1024,
        Modality = "CT",
    });

    private async Task<byte[]> MaskAsync(string ctWindow)
    {
        string body = ParseExpectations.Request([(CtSlice(), ParseServerFixture.BrightPrompt)], $"{{\"auto_preprocess\": true, \"ct_window\": \"{ctWindow}\"}}");
        var response = await server.PostAsync(body);
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var (masks, count, height, width) = ParseExpectations.DecodeMasks(JsonDocument.Parse(text).RootElement[0]);
        Assert.Equal((1, Height, Width), (count, height, width));
        return masks;
    }

    [Fact]
    public async Task Score_CtWindowAbdomen_OnlyTheSoftTissueHalfLightsUp()
    {
        // abdomen [−150, 250]: HU 0 → 95 (red normalises to −0.49, logit ≈ −2: below 128); HU 200 → 223 (logit ≈ 6.8).
        byte[] mask = await MaskAsync("abdomen");
        Assert.True(mask[(12 * Width) + 5] < 128, $"left half is {mask[(12 * Width) + 5]}");
        Assert.True(mask[(12 * Width) + 34] >= 128, $"right half is {mask[(12 * Width) + 34]}");
    }

    [Fact]
    public async Task Score_CtWindowLung_BothHalvesLightUp()
    {
        // lung [−1000, 1000]: HU 0 → 127 (logit ≈ 0.24: above 128 after ×255); HU 200 → 153 (logit ≈ 2).
        byte[] mask = await MaskAsync("lung");
        Assert.True(mask[(12 * Width) + 5] >= 128, $"left half is {mask[(12 * Width) + 5]}");
        Assert.True(mask[(12 * Width) + 34] >= 128, $"right half is {mask[(12 * Width) + 34]}");
    }
#else
    [Fact]
    public void Score_CtWindow_NeedsGdcm() => Assert.Skip(GdcmMissing);
#endif
}
