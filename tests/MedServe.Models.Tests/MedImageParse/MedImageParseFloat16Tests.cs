using System.Text;
using System.Text.Json;
using MedServe.Contracts;
using MedServe.Imaging;
using MedServe.Inference.Packages;
using MedServe.Models.Demo;
using MedServe.Models.MedImageParse;
using MedServe.Models.Scoring;
using MedServe.Onnx;

namespace MedServe.Models.Tests.MedImageParse;

/// <summary>
/// A MedImageParse package whose three graphs take and give float16: accepted, and its masks agree with the
/// float32 package's within <see cref="Tolerance"/> levels (of 255) per pixel, categories and p-values
/// included, with and without batching.
/// </summary>
public sealed class MedImageParseFloat16Tests : IDisposable
{
    /// <summary>The documented tolerance (docs/model-packages.md): float16 rounding of the features and logits moves a mask pixel by at most this.</summary>
    public const int Tolerance = 2;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "medserve-parse-fp16-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string Write(string name, OnnxElementType floatType) =>
        DemoPackages.WriteMedImageParse(Path.Combine(_root, name), imageSize: 64, dim: 16, queryCount: 4, maskSize: 16, floatType: floatType);

    /// <summary>A 50×40 image with a smooth red ramp and a bright disc, so the image-following mask has many grey edge pixels.</summary>
    private static string Image()
    {
        var pixels = new PixelBuffer(50, 40, PixelFormat.Rgb8);
        for (int y = 0; y < 40; y++)
        {
            for (int x = 0; x < 50; x++)
            {
                int i = ((y * 50) + x) * 3;
                bool disc = ((x - 30) * (x - 30)) + ((y - 18) * (y - 18)) < 100;
                pixels.Data[i] = disc ? (byte)240 : (byte)(x * 3);
                pixels.Data[i + 1] = (byte)(y * 4);
                pixels.Data[i + 2] = 60;
            }
        }

        return Convert.ToBase64String(PngEncoder.Encode(pixels));
    }

    private static async Task<JsonElement> ScoreAsync(IScoringModel model, string text, string parameters = "{}")
    {
        string json = "{\"input_data\": {\"columns\": [\"image\", \"text\"], \"data\": [[\"" + Image() + "\", \"" + text + "\"]]}, \"params\": " + parameters + "}";
        using var frame = ScoringFrameParser.TryParse(Encoding.UTF8.GetBytes(json), out string error) ?? throw new InvalidOperationException(error);
        var result = await model.ScoreAsync(frame, Token);
        Assert.True(result.StatusCode == 200, Encoding.UTF8.GetString(result.Body));
        return JsonDocument.Parse(result.Body).RootElement[0].Clone();
    }

    private static byte[] Masks(JsonElement row)
    {
        Assert.True(MaskArray.TryDecode(row.GetProperty("image_features").GetString()!, out byte[] masks, out _, out string error), error);
        return masks;
    }

    [Fact]
    public void Load_Float16Package_EveryFloatTensorIsFloat16()
    {
        using var package = ModelPackage.Load(Write("fp16", OnnxElementType.Float16));

        Assert.Empty(MedImageParsePackageRules.Check(package.Manifest));
        var floats = package.Manifest.Graphs.Values.SelectMany(g => g.Inputs.Concat(g.Outputs)).Where(t => t.ElementType.StartsWith("float", StringComparison.Ordinal));
        Assert.All(floats, t => Assert.Equal("float16", t.ElementType));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ScoreAsync_Float16Package_MasksWithinToleranceOfFloat32(bool batching)
    {
        var options = new ModelLoadOptions { Batching = batching ? new BatchingOptions() : null };
        using var fp32 = ModelLoader.Load(Write("fp32", OnnxElementType.Float), options);
        using var fp16 = ModelLoader.Load(Write("fp16", OnnxElementType.Float16), options);
        // Every word reaches some query; with four queries these cover the image-following one (3) and rectangles.
        const string Prompts = "liver & kidney & lung & heart & spleen & tumor & brain & bone";

        var expected = await ScoreAsync(fp32, Prompts, "{\"auto_preprocess\": true}");
        var actual = await ScoreAsync(fp16, Prompts, "{\"auto_preprocess\": true}");

        Assert.Equal(expected.GetProperty("text_features").ToString(), actual.GetProperty("text_features").ToString());
        byte[] a = Masks(expected);
        byte[] b = Masks(actual);
        Assert.Equal(a.Length, b.Length);
        int worst = Enumerable.Range(0, a.Length).Max(i => Math.Abs(a[i] - b[i]));
        Assert.InRange(worst, 0, Tolerance);
        // Grey edge pixels exist (a mask of only 0 and 255 would hide any precision loss).
        Assert.True(a.Count(v => v is > 5 and < 250) > 20, "the masks have too few intermediate values to compare precisions");
    }
}
