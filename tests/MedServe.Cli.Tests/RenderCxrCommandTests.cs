using System.Text;
using MedServe.Imaging.Overlays;
using SkiaSharp;

namespace MedServe.Cli.Tests;

/// <summary><c>render</c> on CXRReportGen responses: boxes in the crop or the original geometry, numbers, legend, refusals.</summary>
public sealed class RenderCxrCommandTests : IDisposable
{
    private const string Response =
        "[{\"output\": \"[[\\\"Heart normal.\\\", null], [\\\"Opacity.\\\", [[0.25, 0.25, 0.75, 0.75]]]]\"}]";

    private readonly string _dir = Directory.CreateTempSubdirectory("medserve-render-cxr-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static byte[] GrayPng(int width, int height, byte value)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        bitmap.Erase(new SKColor(value, value, value));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static SKColor Color(int finding)
    {
        var c = BoxOverlay.ColorOf(finding);
        return new SKColor(c.R, c.G, c.B);
    }

    private async Task<(SKBitmap Image, string Output)> RenderAsync(params string[] extra)
    {
        string response = Write("response.json", Encoding.UTF8.GetBytes(Response));
        string image = Write("frontal.png", GrayPng(60, 40, 100));
        string output = Path.Combine(_dir, "overlay.png");
        var (code, stdout, error) = await CliRunner.RunAsync(["render", "--response", response, "--image", image, "--out", output, "--font", "none", .. extra]);
        Assert.True(code == 0, error);
        return (SKBitmap.Decode(output), stdout);
    }

    [Fact]
    public async Task Render_CxrResponse_OutlinesTheBoxInTheCropNumbersItAndAddsALegend()
    {
        var (overlay, stdout) = await RenderAsync();
        using (overlay)
        {
            // 60×40: the crop is the centred 40×40 square at x offset 10, so the box is x 20..40, y 10..30.
            Assert.True(overlay.Width >= 60);
            Assert.True(overlay.Height > 40, "a legend panel goes below the image");
            Assert.Equal(Color(2), overlay.GetPixel(20, 29));
            Assert.Equal(Color(2), overlay.GetPixel(39, 20));
            Assert.Equal(Color(2), overlay.GetPixel(22, 11)); // the number tag at the top-left corner
            Assert.Equal(new SKColor(100, 100, 100), overlay.GetPixel(35, 25));
            Assert.Equal(new SKColor(100, 100, 100), overlay.GetPixel(15, 20));
        }

        Assert.Contains("2 findings, 1 box drawn on 60×40", stdout, StringComparison.Ordinal);
        Assert.Contains($"  1. Heart normal. (no box) ({BoxOverlay.ColorOf(1)})", stdout, StringComparison.Ordinal);
        Assert.Contains($"  2. Opacity. ({BoxOverlay.ColorOf(2)})", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_OriginalBoxes_ScalesByTheImageSize()
    {
        var (overlay, _) = await RenderAsync("--boxes", "original");
        using (overlay)
        {
            // original: x 15..45, y 10..30.
            Assert.Equal(Color(2), overlay.GetPixel(15, 25));
            Assert.Equal(Color(2), overlay.GetPixel(44, 25));
            Assert.Equal(new SKColor(100, 100, 100), overlay.GetPixel(40, 25));
        }
    }

    [Fact]
    public async Task Render_NeitherFamily_ExitsOneNamingBoth()
    {
        string response = Write("response.json", "[{\"image_features\": [[1.0]]}]"u8.ToArray());
        string image = Write("frontal.png", GrayPng(8, 8, 0));
        var (code, _, error) = await CliRunner.RunAsync("render", "--response", response, "--image", image, "--out", Path.Combine(_dir, "o.png"));
        Assert.Equal(1, code);
        Assert.Contains("not a MedImageParse or CXRReportGen response", error, StringComparison.Ordinal);
        Assert.Contains("a CXRReportGen row a string 'output'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[{\"output\": \"[[\\\"Heart normal.\\\", null]]\"}]", "--row", "3", "--row 3 is out of range: the response has 1 row (row 0)")]
    [InlineData("[{\"output\": \"not json\"}]", "--row", "0", "row 0: 'output' is not a list of [sentence, null | boxes]")]
    [InlineData("[{\"output\": \"[[\\\"x\\\", [[0.1, 0.2]]]]\"}]", "--row", "0", "row 0: 'output' is not a list of [sentence, null | boxes]")]
    public async Task Render_BadCxrRow_ExitsOneWithTheProblem(string json, string option, string value, string message)
    {
        string response = Write("response.json", Encoding.UTF8.GetBytes(json));
        string image = Write("frontal.png", GrayPng(8, 8, 0));
        var (code, _, error) = await CliRunner.RunAsync("render", "--response", response, "--image", image, "--out", Path.Combine(_dir, "o.png"), option, value);
        Assert.Equal(1, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoPackagesOnly_WritesACxrReportGenPackageThatModelsCheckAccepts()
    {
        var (code, _, _) = await CliRunner.RunAsync("demo", "--packages-only", Path.Combine(_dir, "demo"));
        Assert.Equal(0, code);
        var check = await CliRunner.RunAsync("models", "check", Path.Combine(_dir, "demo", "cxrreportgen"));
        Assert.Equal(0, check.ExitCode);
        Assert.Contains("graph     decoder (decoder.onnx): signature ok", check.Output, StringComparison.Ordinal);
        Assert.Contains("in  past_key_values.1.value float32[batch_size,2,past_sequence_length,8]", check.Output, StringComparison.Ordinal);
    }
}
