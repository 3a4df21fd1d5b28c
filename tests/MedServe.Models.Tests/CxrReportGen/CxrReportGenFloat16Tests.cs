using System.Text.Json.Nodes;
using MedServe.Models.CxrReportGen;
using MedServe.Models.Demo;
using MedServe.Onnx;

namespace MedServe.Models.Tests.CxrReportGen;

/// <summary>
/// A float16 CXRReportGen package (every float tensor of the three graphs float16) against its float32
/// twin: the same findings, the vision embeddings within float16 rounding, the cache kept in float16.
/// </summary>
public sealed class CxrReportGenFloat16Tests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-cxr-fp16-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private (CxrReportGenModel Fp32, CxrReportGenModel Fp16) LoadBoth(BatchingOptions? batching = null)
    {
        var options = new ModelLoadOptions { Batching = batching };
        var fp32 = (CxrReportGenModel)ModelLoader.Load(CxrReportGenDemoPackage.Write(Path.Combine(_dir, "fp32")), options);
        var fp16 = (CxrReportGenModel)ModelLoader.Load(CxrReportGenDemoPackage.Write(Path.Combine(_dir, "fp16"), floatType: OnnxElementType.Float16), options);
        return (fp32, fp16);
    }

    [Fact]
    public void Write_Float16_DeclaresFloat16ForEveryFloatTensor()
    {
        CxrReportGenDemoPackage.Write(_dir, floatType: OnnxElementType.Float16);
        var graphs = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "medserve.json")))!["graphs"]!.AsObject();
        var types = graphs.SelectMany(g => g.Value!["inputs"]!.AsArray().Concat(g.Value!["outputs"]!.AsArray()))
            .Select(t => (string)t!["name"]! + "@" + (string)t["element_type"]!).ToHashSet();
        foreach (string name in new[] { "pixel_values", "image_embeds", "inputs_embeds", "logits", "past_key_values.0.key", "past_key_values.1.value", "present.0.value", "present.1.key" })
        {
            Assert.Contains(name + "@float16", types);
            Assert.DoesNotContain(name + "@float32", types);
        }

        Assert.Contains("input_ids@int64", types);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ScoreAsync_Float16Package_GivesTheFloat32Findings(bool batching)
    {
        var (fp32, fp16) = LoadBoth(batching ? new BatchingOptions() : null);
        using var _ = fp32;
        using var __ = fp16;
        Assert.Equal("float32", fp32.LanguageModelElementType);
        Assert.Equal("float16", fp16.LanguageModelElementType);
        string dark = Convert.ToBase64String(CxrTestImages.Dark());
        string bright = Convert.ToBase64String(CxrTestImages.Bright());
        string[] requests =
        [
            "{\"input_data\": {\"columns\": [\"frontal_image\"], \"data\": [[\"" + dark + "\"]]}}",
            "{\"input_data\": {\"columns\": [\"frontal_image\", \"lateral_image\", \"prior_image\", \"prior_report\"], \"data\": [[\"" + bright + "\", \"" + bright + "\", \"" + dark + "\", \"Clear.\"]]}}",
        ];
        var outputs = new List<string>();
        foreach (string request in requests)
        {
            string expected = await CxrReportGenModelTests.OutputAsync(fp32, request);
            Assert.Equal(expected, await CxrReportGenModelTests.OutputAsync(fp16, request));
            outputs.Add(expected);
        }

        // The two studies take different scripts, so equal findings are not one fixed answer.
        Assert.NotEqual(outputs[0], outputs[1]);
    }

    [Fact]
    public async Task EmbedImages_Float16Vision_MatchesFloat32WithinFloat16Rounding()
    {
        var (fp32, fp16) = LoadBoth();
        using var _ = fp32;
        using var __ = fp16;
        var images = await CxrReportGenModelTests.DecodeAsync(CxrTestImages.Bright(), CxrTestImages.Dark(64, 48));
        float[] want = fp32.EmbedImages(images, TestContext.Current.CancellationToken);
        float[] got = fp16.EmbedImages(images, TestContext.Current.CancellationToken);
        Assert.Equal(want.Length, got.Length);
        float largest = 0;
        for (int i = 0; i < want.Length; i++)
        {
            Assert.Equal(want[i], got[i], Math.Max(1e-2f, Math.Abs(want[i]) * 2e-3f));
            largest = Math.Max(largest, Math.Abs(want[i] - got[i]));
        }

        // The float16 graph ran: its rounding shows.
        Assert.True(largest > 0, "the float16 package embedded exactly what the float32 one did");
    }
}
