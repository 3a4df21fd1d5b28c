using System.Text;
using System.Text.Json;
using MedServe.Imaging;
using MedServe.Models.Demo;
using MedServe.Models.MedImageInsight;
using MedServe.Models.Scoring;

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
        Assert.Equal(model.MaxBatchSize, model.BatchedRunSize);
        Assert.Equal(8, model.MaxBatchSize);
        Assert.Null(unbatched.BatchedRunSize);
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
