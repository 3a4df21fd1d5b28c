using System.Text;
using System.Text.Json;
using MedServe.Inference.Packages;
using MedServe.Models.Demo;
using MedServe.Models.Scoring;
using MedServe.Onnx;

namespace MedServe.Models.Tests.MedImageInsight;

/// <summary>
/// A package whose encoders declare float16 pixels and embeddings is served like the float32 one: the
/// pipeline feeds float16 and reads float16 back as float32, and the embeddings agree within float16 rounding.
/// </summary>
public sealed class MedImageInsightFloat16Tests : IDisposable
{
    private const int Dim = 64;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-fp16-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static string GradientPng()
    {
        using var bitmap = new SkiaSharp.SKBitmap(96, 64);
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                bitmap.SetPixel(x, y, new SkiaSharp.SKColor((byte)(x * 2), (byte)(y * 3), (byte)((x + y) % 256)));
            }
        }

        using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return Convert.ToBase64String(data.ToArray());
    }

    private static async Task<JsonElement> ScoreAsync(IScoringModel model, string json)
    {
        using var frame = ScoringFrameParser.TryParse(Encoding.UTF8.GetBytes(json), out string error) ?? throw new InvalidOperationException(error);
        var result = await model.ScoreAsync(frame, TestContext.Current.CancellationToken);
        Assert.True(result.StatusCode == 200, Encoding.UTF8.GetString(result.Body));
        return JsonDocument.Parse(result.Body).RootElement.Clone();
    }

    private static float[] Floats(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetSingle())];

    /// <summary>Largest absolute difference; both vectors are L2-normalised, so float16's 2^-11 relative step bounds it well below 2e-3.</summary>
    private static float MaxDifference(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        float max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            max = Math.Max(max, Math.Abs(expected[i] - actual[i]));
        }

        return max;
    }

    [Fact]
    public void WriteMedImageInsight_Float16_DeclaresFloat16PixelsAndEmbeddings()
    {
        string package = DemoPackages.WriteMedImageInsight(Path.Combine(_dir, "fp16"), Dim, OnnxElementType.Float16);
        using var loaded = ModelPackage.Load(package);
        var image = loaded.Manifest.Graphs["image_encoder"];
        var text = loaded.Manifest.Graphs["text_encoder"];
        Assert.Equal("float16", Assert.Single(image.Inputs).ElementType);
        Assert.Equal("float16", Assert.Single(image.Outputs).ElementType);
        Assert.Equal(["int64", "int64", "int64"], text.Inputs.Select(t => t.ElementType));
        Assert.Equal("float16", Assert.Single(text.Outputs).ElementType);
        Assert.Equal(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float16, loaded.Session("image_encoder").InputMetadata["pixel_values"].ElementDataType);
    }

    [Fact]
    public async Task ScoreAsync_Float16Package_GivesTheFloat32EmbeddingsWithinFloat16Rounding()
    {
        using var fp32 = ModelLoader.Load(DemoPackages.WriteMedImageInsight(Path.Combine(_dir, "fp32"), Dim));
        using var fp16 = ModelLoader.Load(DemoPackages.WriteMedImageInsight(Path.Combine(_dir, "fp16"), Dim, OnnxElementType.Float16));
        string image = GradientPng();
        string request = "{\"input_data\": {\"columns\": [\"image\", \"text\"], \"data\": ["
            + "[\"" + image + "\", \"x-ray chest anteroposterior Atelectasis.\"], "
            + "[\"" + image + "\", \"left lower lobe consolidation\"]]}}";

        var expected = await ScoreAsync(fp32, request);
        var actual = await ScoreAsync(fp16, request);

        Assert.Equal(2, actual.GetArrayLength());
        for (int row = 0; row < 2; row++)
        {
            float[] wantImage = Floats(expected[row].GetProperty("image_features")[0]);
            float[] gotImage = Floats(actual[row].GetProperty("image_features")[0]);
            float[] wantText = Floats(expected[row].GetProperty("text_features"));
            float[] gotText = Floats(actual[row].GetProperty("text_features"));
            Assert.Equal(Dim, gotImage.Length);
            Assert.Equal(Dim, gotText.Length);
            float imageDifference = MaxDifference(wantImage, gotImage);
            float textDifference = MaxDifference(wantText, gotText);
            Assert.InRange(imageDifference, 0f, 2e-3f);
            Assert.InRange(textDifference, 0f, 2e-3f);
            // The float16 graphs really ran: their rounding shows somewhere in the embedding.
            Assert.True(imageDifference > 0 && textDifference > 0, $"image {imageDifference}, text {textDifference}");
            Assert.Equal(expected[row].GetProperty("scaling_factor").GetDouble(), actual[row].GetProperty("scaling_factor").GetDouble());
        }

        // The rows differ in text, so a float16 path that mixed rows up would fail here.
        Assert.True(MaxDifference(Floats(actual[0].GetProperty("text_features")), Floats(actual[1].GetProperty("text_features"))) > 0.01f);
    }
}
