using System.Text.Json;
using MedServe.Imaging;
using MedServe.Models.Demo;

namespace MedServe.Cli.Tests;

public sealed class ComputeHeavyPackageTests : IDisposable
{
    private const string Key = "heavy-test-key-0123456789";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-heavy-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task DemoComputeHeavy_PackagePassesModelsCheckAndServesImageAndTextRequests()
    {
        var (code, output, _) = await CliRunner.RunAsync("demo", "--packages-only", _dir, "--compute-heavy");
        Assert.Equal(0, code);
        string package = Path.Combine(_dir, DemoPackages.ComputeHeavyName);
        Assert.Contains($"wrote {package}", output, StringComparison.Ordinal);
        Assert.Contains($"wrote {Path.Combine(_dir, DemoPackages.MedImageInsightName)}", output, StringComparison.Ordinal);

        var check = await CliRunner.RunAsync("models", "check", package);
        Assert.True(check.ExitCode == 0, check.Output + check.Error);
        Assert.Contains("package:  medimageinsight-heavy 0.1.0-synthetic (medimageinsight) — SYNTHETIC weights", check.Output, StringComparison.Ordinal);
        Assert.Contains("in  pixel_values float32[batch,3,480,480]", check.Output, StringComparison.Ordinal);
        Assert.Contains("out image_embeds float32[batch,1024]", check.Output, StringComparison.Ordinal);

        var image = new PixelBuffer(64, 48, PixelFormat.Gray8);
        for (int i = 0; i < image.Data.Length; i++)
        {
            image.Data[i] = (byte)(i * 7);
        }

        string request = Path.Combine(_dir, "image.json");
        await File.WriteAllTextAsync(request, "{\"input_data\": {\"columns\": [\"image\"], \"data\": [[\"" + Convert.ToBase64String(PngEncoder.Encode(image)) + "\"]]}}", TestContext.Current.CancellationToken);
        await using var server = await CliRunner.StartAsync("serve", package, "--port", "0", "--primary-key", Key);
        string url = new Uri(server.Address, "/endpoints/" + DemoPackages.ComputeHeavyName + "/score").ToString();
        var invoke = await CliRunner.RunAsync("invoke", "--url", url, "--key", Key, "--request-file", request);
        Assert.True(invoke.ExitCode == 0, invoke.Output + invoke.Error);
        using var json = JsonDocument.Parse(invoke.Output);
        Assert.Equal(1024, json.RootElement[0].GetProperty("image_features")[0].GetArrayLength());

        // The text encoder is the heavy MatMul chain: real 1024-d rows, different for different texts.
        string texts = Path.Combine(_dir, "texts.json");
        await File.WriteAllTextAsync(texts, """{"input_data": {"columns": ["text"], "data": [["left lung"], ["right lung"]]}}""", TestContext.Current.CancellationToken);
        var textInvoke = await CliRunner.RunAsync("invoke", "--url", url, "--key", Key, "--request-file", texts);
        Assert.True(textInvoke.ExitCode == 0, textInvoke.Output + textInvoke.Error);
        using var textJson = JsonDocument.Parse(textInvoke.Output);
        string first = textJson.RootElement[0].GetProperty("text_features").GetRawText();
        Assert.Equal(1024, textJson.RootElement[0].GetProperty("text_features").GetArrayLength());
        Assert.NotEqual(first, textJson.RootElement[1].GetProperty("text_features").GetRawText());

        string jsonOut = Path.Combine(_dir, "bench.json");
        var bench = await CliRunner.RunAsync("bench", "--url", url, "--key", Key, "--request-file", request, "--concurrency", "2", "--requests", "4", "--json-out", jsonOut);
        Assert.True(bench.ExitCode == 0, bench.Output + bench.Error);
        using var figures = JsonDocument.Parse(await File.ReadAllBytesAsync(jsonOut, TestContext.Current.CancellationToken));
        Assert.Equal(4, figures.RootElement.GetProperty("status_counts").GetProperty("200").GetInt64());
    }
}
