using System.Text;
using System.Text.Json;
using MedServe.Inference.Packages;
using MedServe.Models.Demo;
using MedServe.Models.Scoring;

namespace MedServe.Models.Tests.MedImageInsight;

public sealed class MedImageInsightModelTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-models-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Writes the demo package with one manifest edit (checksums cover files, not the manifest).</summary>
    private void WritePackageWithManifestEdit(string from, string to)
    {
        DemoPackages.WriteMedImageInsight(_dir);
        string manifest = Path.Combine(_dir, "medserve.json");
        string text = File.ReadAllText(manifest);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(manifest, text.Replace(from, to, StringComparison.Ordinal));
    }

    private static async Task<JsonElement> ScoreAsync(MedServe.Models.Scoring.IScoringModel model, string json)
    {
        using var frame = ScoringFrameParser.TryParse(Encoding.UTF8.GetBytes(json), out string error) ?? throw new InvalidOperationException(error);
        var result = await model.ScoreAsync(frame, TestContext.Current.CancellationToken);
        Assert.True(result.StatusCode == 200, Encoding.UTF8.GetString(result.Body));
        return JsonDocument.Parse(result.Body).RootElement.Clone();
    }

    [Fact]
    public async Task ScoreAsync_MoreRowsThanOneBatch_EqualsRowByRowInOrder()
    {
        using var model = ModelLoader.Load(DemoPackages.WriteMedImageInsight(_dir));
        string[] texts = [.. Enumerable.Range(0, 19).Select(i => $"finding number {i} in the left lung")];
        string rows = string.Join(", ", texts.Select(t => $"[\"{t}\"]"));
        var batched = await ScoreAsync(model, "{\"input_data\": {\"columns\": [\"text\"], \"data\": [" + rows + "]}}");
        Assert.Equal(texts.Length, batched.GetArrayLength());
        for (int i = 0; i < texts.Length; i += 6)
        {
            var single = await ScoreAsync(model, "{\"input_data\": {\"columns\": [\"text\"], \"data\": [[\"" + texts[i] + "\"]]}}");
            var expected = single[0].GetProperty("text_features").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            var actual = batched[i].GetProperty("text_features").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            Assert.Equal(expected.Length, actual.Length);
            for (int k = 0; k < expected.Length; k++)
            {
                Assert.Equal(expected[k], actual[k], 5);
            }
        }

        Assert.NotEqual(batched[0].GetProperty("text_features")[0].GetSingle(), batched[1].GetProperty("text_features")[0].GetSingle());
    }

    [Fact]
    public void Load_UnknownTask_RefusedNamingTheTask()
    {
        WritePackageWithManifestEdit("\"task\": \"medimageinsight\"", "\"task\": \"segment-anything\"");
        var ex = Assert.Throws<ModelPackageException>(() => ModelLoader.Load(_dir));
        Assert.Contains($"medserve.json: task 'segment-anything' is not served by this build (supported: {string.Join(", ", ModelLoader.SupportedTasks)})", ex.Problems);
        Assert.Equal(["medimageinsight", "medimageparse", "cxrreportgen"], ModelLoader.SupportedTasks);
    }

    [Fact]
    public void Load_MissingLogitScale_Refused()
    {
        WritePackageWithManifestEdit("\"logit_scale\"", "\"logit_scal\"");
        var ex = Assert.Throws<ModelPackageException>(() => ModelLoader.Load(_dir));
        Assert.Contains("medserve.json: constants.logit_scale is missing", ex.Problems);
    }

    [Fact]
    public void Load_ImageSizeThatDisagreesWithTheGraph_Refused()
    {
        WritePackageWithManifestEdit("\"image_size\": 480", "\"image_size\": 448");
        var ex = Assert.Throws<ModelPackageException>(() => ModelLoader.Load(_dir));
        Assert.Contains("medserve.json: graph 'image_encoder' must take one float32 or float16 [batch,3,448,448] input (preprocessing.image_size is 448)", ex.Problems);
    }

    [Fact]
    public void Load_UnusableNormalisation_RefusedAsAPackageProblem()
    {
        WritePackageWithManifestEdit("\"resample\": \"bicubic\"", "\"resample\": \"lanczos\"");
        var ex = Assert.Throws<ModelPackageException>(() => ModelLoader.Load(_dir));
        Assert.Contains("medserve.json: preprocessing.resample 'lanczos' is not one of bicubic, bilinear, nearest", ex.Problems);
    }

    [Fact]
    public async Task ScoreAsync_PixelLimitBelowTheStandardisationSize_StillServesSmallImages()
    {
        // The JPEG round trip decodes a 512×512 image the pipeline made itself; the request limit must not apply to it.
        using var model = ModelLoader.Load(DemoPackages.WriteMedImageInsight(_dir), new ModelLoadOptions { MaxImagePixels = 10_000 });
        using var bitmap = new SkiaSharp.SKBitmap(40, 40);
        using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        string image = Convert.ToBase64String(data.ToArray());
        var rows = await ScoreAsync(model, "{\"input_data\": {\"columns\": [\"image\"], \"data\": [[\"" + image + "\"]]}}");
        Assert.Equal(1024, rows[0].GetProperty("image_features")[0].GetArrayLength());
    }

    [Theory]
    [InlineData("\"@@@@\"", "row 1, column 'image': not valid base64")]
    [InlineData("\"AAAAAAAA\"", "row 1, column 'image': not a PNG, JPEG or DICOM image")]
    [InlineData("null", "row 1 has neither an image nor a text")]
    public async Task ScoreAsync_SecondRowRefused_GivesTheFirstRowsCellBack(string secondCell, string expected)
    {
        var pool = new MedServe.Models.Buffers.RequestBufferPool(minimumPooledLength: 16);
        using var model = ModelLoader.Load(DemoPackages.WriteMedImageInsight(_dir), new ModelLoadOptions { Buffers = pool });
        using var bitmap = new SkiaSharp.SKBitmap(40, 40);
        using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        string image = Convert.ToBase64String(data.ToArray());
        using var frame = ScoringFrameParser.TryParse(Encoding.UTF8.GetBytes("{\"input_data\": {\"columns\": [\"image\"], \"data\": [[\"" + image + "\"], [" + secondCell + "]]}}"), out string error)
            ?? throw new InvalidOperationException(error);

        var result = await model.ScoreAsync(frame, TestContext.Current.CancellationToken);

        Assert.Equal(400, result.StatusCode);
        Assert.Contains(expected, Encoding.UTF8.GetString(result.Body), StringComparison.Ordinal);
        Assert.Equal(0, pool.LentCount);
        Assert.Equal(1, pool.FreeCount); // the first row's cell; the second's few bytes are under the pool's minimum
    }

    [Fact]
    public void Descriptor_DescribesColumnsParamsAndLimits()
    {
        using var model = ModelLoader.Load(DemoPackages.WriteMedImageInsight(_dir), new ModelLoadOptions { MaxRows = 12 });
        var d = model.Descriptor;
        Assert.Equal("medimageinsight", d.Name);
        Assert.True(d.Synthetic);
        Assert.Equal(12, d.MaxRows);
        Assert.Equal(["image", "text"], d.Columns.Select(c => c.Name));
        Assert.Equal(["get_scaling_factor", "image_standardization_image_size", "image_standardization_jpeg_compression_ratio", "normalization", "dicom_frame"], d.Params.Select(p => p.Name));
        using var schema = JsonDocument.Parse(d.ResponseRowSchemaJson);
        Assert.Equal("object", schema.RootElement.GetProperty("type").GetString());
    }
}
