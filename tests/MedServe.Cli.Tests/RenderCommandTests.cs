using MedServe.Imaging.Overlays;
using SkiaSharp;

namespace MedServe.Cli.Tests;

public sealed class RenderCommandTests : IDisposable
{
    private const string Response =
        "[{\"output\": \"[[\\\"Heart normal.\\\", null], [\\\"Opacity.\\\", [[0.25, 0.25, 0.75, 0.75]]]]\"}]";

    private readonly string _dir = Directory.CreateTempSubdirectory("medserve-render-").FullName;

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

    private async Task<SKBitmap> RenderAsync(params string[] extra)
    {
        string response = Write("response.json", System.Text.Encoding.UTF8.GetBytes(Response));
        string image = Write("frontal.png", GrayPng(60, 40, 100));
        string output = Path.Combine(_dir, "overlay.png");
        var (code, stdout, error) = await CliRunner.RunAsync(["render", "--response", response, "--image", image, "--out", output, .. extra]);
        Assert.True(code == 0, error);
        Assert.Contains("2 findings, 1 boxes", stdout, StringComparison.Ordinal);
        return SKBitmap.Decode(output);
    }

    [Fact]
    public async Task Render_CxrResponse_OutlinesTheBoxInTheCropAndAddsALegend()
    {
        using var overlay = await RenderAsync();
        // 60×40: the crop is the centred 40×40 square at x offset 10, so the box is x 20..40, y 10..30.
        Assert.Equal(60, overlay.Width);
        Assert.True(overlay.Height > 40, "a legend panel goes below the image");
        var (r, g, b) = BoxOverlay.ColourOf(2);
        Assert.Equal(new SKColor(r, g, b), overlay.GetPixel(20, 20));
        Assert.Equal(new SKColor(100, 100, 100), overlay.GetPixel(35, 25));
        Assert.Equal(new SKColor(100, 100, 100), overlay.GetPixel(15, 20));
    }

    [Fact]
    public async Task Render_OriginalBoxes_ScalesByTheImageSize()
    {
        using var overlay = await RenderAsync("--boxes", "original");
        var (r, g, b) = BoxOverlay.ColourOf(2);
        Assert.Equal(new SKColor(r, g, b), overlay.GetPixel(15, 20));
        Assert.Equal(new SKColor(100, 100, 100), overlay.GetPixel(40, 25));
    }

    [Fact]
    public async Task Render_NotACxrResponse_ExitsTwo()
    {
        string response = Write("response.json", "[{\"image_features\": [[1.0]]}]"u8.ToArray());
        string image = Write("frontal.png", GrayPng(8, 8, 0));
        var (code, _, error) = await CliRunner.RunAsync("render", "--response", response, "--image", image, "--out", Path.Combine(_dir, "o.png"));
        Assert.Equal(2, code);
        Assert.Contains("a CXRReportGen response is an array of objects with a string 'output'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_RowOutsideTheResponse_ExitsTwo()
    {
        string response = Write("response.json", System.Text.Encoding.UTF8.GetBytes(Response));
        string image = Write("frontal.png", GrayPng(8, 8, 0));
        var (code, _, error) = await CliRunner.RunAsync("render", "--response", response, "--image", image, "--out", Path.Combine(_dir, "o.png"), "--row", "3");
        Assert.Equal(2, code);
        Assert.Contains("--row 3 is outside the response's 1 rows", error, StringComparison.Ordinal);
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
