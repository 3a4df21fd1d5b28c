using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedServe.Imaging;
using MedServe.Models.Demo;
using MedServe.Models.MedImageInsight;
using MedServe.Models.Scoring;
using MedServe.Onnx;

namespace MedServe.Models.Tests.MedImageInsight;

/// <summary>
/// MedImageInsight with <see cref="ModelLoadOptions.Batching"/>: the same embeddings as without it, rows of
/// concurrent requests kept apart, and a bad image refused for its own request only.
/// </summary>
public sealed class MedImageInsightBatchingTests : IDisposable
{
    private readonly string _dir = DemoPackages.WriteMedImageInsight(Path.Combine(Path.GetTempPath(), "medserve-batching-" + Guid.NewGuid().ToString("N")));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static byte[] Image(int seed)
    {
        var pixels = new PixelBuffer(40 + seed, 32, PixelFormat.Rgb8);
        for (int i = 0; i < pixels.Data.Length; i++)
        {
            pixels.Data[i] = (byte)((i * (seed + 3)) % 253);
        }

        return PngEncoder.Encode(pixels);
    }

    private static string Body(string column, IEnumerable<string> cells) =>
        "{\"input_data\": {\"columns\": [\"" + column + "\"], \"data\": [" + string.Join(", ", cells.Select(c => $"[\"{c}\"]")) + "]}}";

    private static async Task<ScoringResult> ScoreAsync(IScoringModel model, string json)
    {
        using var frame = ScoringFrameParser.TryParse(Encoding.UTF8.GetBytes(json), out string error) ?? throw new InvalidOperationException(error);
        return await model.ScoreAsync(frame, Token);
    }

    private static float[][] Features(ScoringResult result, string property)
    {
        Assert.True(result.StatusCode == 200, Encoding.UTF8.GetString(result.Body));
        using var json = JsonDocument.Parse(result.Body);
        return [.. json.RootElement.EnumerateArray().Select(row =>
        {
            var value = row.GetProperty(property);
            var vector = value[0].ValueKind == JsonValueKind.Array ? value[0] : value;
            return vector.EnumerateArray().Select(e => e.GetSingle()).ToArray();
        })];
    }

    private static void AssertClose(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int row = 0; row < expected.Length; row++)
        {
            Assert.Equal(expected[row].Length, actual[row].Length);
            for (int k = 0; k < expected[row].Length; k++)
            {
                Assert.Equal(expected[row][k], actual[row][k], 5);
            }
        }
    }

    [Fact]
    public void Load_BatchSizeAbovePackageLimit_CappedAtTheLimit()
    {
        using var model = (MedImageInsightModel)ModelLoader.Load(_dir, new ModelLoadOptions { Batching = new BatchingOptions { MaxBatchSize = 500 } });
        using var unbatched = (MedImageInsightModel)ModelLoader.Load(_dir);
        Assert.Equal(model.ImageBatchLimit, model.BatchedRunSize);
        Assert.Equal(model.TextBatchLimit, model.BatchedTextRunSize);
        Assert.Equal((8, 8), (model.ImageBatchLimit, model.TextBatchLimit));
        Assert.Null(unbatched.BatchedRunSize);
        Assert.Null(unbatched.BatchedTextRunSize);
    }

    private void EditManifest(Action<JsonNode> edit)
    {
        string path = Path.Combine(_dir, "medserve.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!;
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString());
    }

    [Fact]
    public async Task Load_GraphMaxBatchSize_LimitsThatEncoderOnly()
    {
        EditManifest(m => m["graphs"]!["text_encoder"]!["max_batch_size"] = 3);
        using var model = (MedImageInsightModel)ModelLoader.Load(_dir, new ModelLoadOptions { Batching = new BatchingOptions() });
        using var unbatched = (MedImageInsightModel)ModelLoader.Load(_dir);
        Assert.Equal((8, 3), (model.ImageBatchLimit, model.TextBatchLimit));
        Assert.Equal((8, 3), (model.BatchedRunSize, model.BatchedTextRunSize));

        // Unbatched, seven texts run in chunks of 3 and still come back in order, as the batched model gives them.
        string body = Body("text", Enumerable.Range(0, 7).Select(i => $"finding {i}"));
        var chunked = await ScoreAsync(unbatched, body);
        var batched = await ScoreAsync(model, body);
        Assert.Equal(200, chunked.StatusCode);
        Assert.Equal(Encoding.UTF8.GetString(batched.Body), Encoding.UTF8.GetString(chunked.Body));
    }

    [Theory]
    [InlineData(1, 4, "medserve.json: graph 'image_encoder' has its batch dimension fixed to 1, so it takes one image per run; its max_batch_size must be 1, not 4")]
    [InlineData(4, null, "medserve.json: graph 'image_encoder' has its batch dimension fixed to 4; MedServe runs it on 1 to max_batch_size images at a time, so the dimension must be 1 or symbolic")]
    [InlineData(4, 4, "medserve.json: graph 'image_encoder' has its batch dimension fixed to 4; MedServe runs it on 1 to max_batch_size images at a time, so the dimension must be 1 or symbolic")]
    public void Load_FixedBatchDimension_RefusedWithWhatToDo(int fixedBatch, int? graphLimit, string expected)
    {
        UseFixedBatchImageEncoder(fixedBatch, graphLimit);
        var ex = Assert.Throws<MedServe.Inference.Packages.ModelPackageException>(() => ModelLoader.Load(_dir));
        Assert.Equal(expected, Assert.Single(ex.Problems));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    public async Task Load_FixedBatchOfOne_RunsImageByImageWhateverThePackageLimit(int? graphLimit)
    {
        // limits.max_batch_size is 8: a reference export at batch 1 still loads, and takes one image per run.
        UseFixedBatchImageEncoder(1, graphLimit);
        using var model = (MedImageInsightModel)ModelLoader.Load(_dir, new ModelLoadOptions { Batching = new BatchingOptions() });
        using var unbatched = (MedImageInsightModel)ModelLoader.Load(_dir);
        Assert.Equal((1, 8), (model.ImageBatchLimit, model.TextBatchLimit));
        Assert.Equal(1, model.BatchedRunSize);
        string body = Body("image", Enumerable.Range(0, 3).Select(i => Convert.ToBase64String(Image(i))));
        var one = await ScoreAsync(unbatched, body);
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ScoreAsync(model, body)));
        Assert.True(one.StatusCode == 200, Encoding.UTF8.GetString(one.Body));
        Assert.All(results, r => Assert.Equal(Encoding.UTF8.GetString(one.Body), Encoding.UTF8.GetString(r.Body)));
    }

    /// <summary>
    /// Replaces the image encoder with a graph whose batch dimension is fixed: the mean of each channel
    /// times a [3, 1024] matrix, so different images still give different embeddings.
    /// </summary>
    private void UseFixedBatchImageEncoder(int fixedBatch, int? graphLimit)
    {
        const int Dim = 1024;
        int size = 480;
        var g = new OnnxGraphBuilder("image_encoder");
        var pixels = g.AddInput("pixel_values", OnnxElementType.Float, [fixedBatch, 3, size, size]);
        var means = g.AddNode("Flatten", [g.AddNode("GlobalAveragePool", [pixels])]);
        float[] w = [.. Enumerable.Range(0, 3 * Dim).Select(i => MathF.Sin(i * 0.37f))];
        g.AddOutput(g.AddNode("MatMul", [means, g.AddInitializer("w", w, [3, Dim])]), "image_embeds", OnnxElementType.Float, [fixedBatch, Dim]);
        byte[] graph = g.ToModelBytes();
        File.WriteAllBytes(Path.Combine(_dir, "image_encoder.onnx"), graph);
        EditManifest(m =>
        {
            m["files"]!["image_encoder.onnx"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(graph));
            m["graphs"]!["image_encoder"]!["inputs"]![0]!["shape"]![0] = fixedBatch;
            m["graphs"]!["image_encoder"]!["outputs"]![0]!["shape"]![0] = fixedBatch;
            if (graphLimit is { } limit)
            {
                m["graphs"]!["image_encoder"]!["max_batch_size"] = limit;
            }
        });
    }

    [Fact]
    public async Task ScoreAsync_ConcurrentRequestsBatched_EachGetsTheEmbeddingsItGetsAlone()
    {
        using var batched = ModelLoader.Load(_dir, new ModelLoadOptions { Batching = new BatchingOptions { MaxBatchSize = 4 } });
        using var alone = ModelLoader.Load(_dir);
        string[][] texts = [.. Enumerable.Range(0, 6).Select(r => Enumerable.Range(0, r + 1).Select(i => $"finding {r} {i} in the left lung").ToArray())];
        string[][] images = [.. Enumerable.Range(0, 4).Select(r => Enumerable.Range(0, 3).Select(i => Convert.ToBase64String(Image((r * 3) + i))).ToArray())];

        var textResults = texts.Select(t => ScoreAsync(batched, Body("text", t))).ToArray();
        var imageResults = images.Select(i => ScoreAsync(batched, Body("image", i))).ToArray();
        await Task.WhenAll([.. textResults, .. imageResults]);

        for (int r = 0; r < texts.Length; r++)
        {
            AssertClose(Features(await ScoreAsync(alone, Body("text", texts[r])), "text_features"), Features(await textResults[r], "text_features"));
        }

        for (int r = 0; r < images.Length; r++)
        {
            AssertClose(Features(await ScoreAsync(alone, Body("image", images[r])), "image_features"), Features(await imageResults[r], "image_features"));
        }

        Assert.NotEqual(Features(await textResults[0], "text_features")[0][0], Features(await textResults[1], "text_features")[1][0]);
    }

    [Fact]
    public async Task ScoreAsync_OneConcurrentRequestHasABadImage_OnlyThatRequestIsRefused()
    {
        using var batched = ModelLoader.Load(_dir, new ModelLoadOptions { Batching = new BatchingOptions { MaxBatchSize = 8 } });
        using var alone = ModelLoader.Load(_dir);
        string bad = Convert.ToBase64String(Encoding.ASCII.GetBytes("not an image at all"));
        string[][] requests = [[Convert.ToBase64String(Image(1))], [Convert.ToBase64String(Image(2)), bad], [Convert.ToBase64String(Image(3))]];

        var results = await Task.WhenAll(requests.Select(r => ScoreAsync(batched, Body("image", r))));

        Assert.Equal(400, results[1].StatusCode);
        Assert.Contains("row 1, column 'image'", Encoding.UTF8.GetString(results[1].Body), StringComparison.Ordinal);
        AssertClose(Features(await ScoreAsync(alone, Body("image", requests[0])), "image_features"), Features(results[0], "image_features"));
        AssertClose(Features(await ScoreAsync(alone, Body("image", requests[2])), "image_features"), Features(results[2], "image_features"));
    }
}
