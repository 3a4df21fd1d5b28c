using System.Text;
using System.Text.Json;
using MedServe.Contracts;
using MedServe.Imaging;
using MedServe.Inference.Tokenization;
using MedServe.Models.Demo;
using MedServe.Models.MedImageParse;
using MedServe.Models.Scoring;
using MedServe.Onnx.Synthetic;

namespace MedServe.Models.Tests.MedImageParse;

/// <summary>
/// MedImageParse with <see cref="ModelLoadOptions.Batching"/>: concurrent requests get exactly the masks they
/// get alone (the image-following query makes a mix-up of rows visible), the batch sizes follow the graphs'
/// limits, and an image encoder whose batch dimension is fixed to 1 still serves, one image per run.
/// </summary>
public sealed class MedImageParseBatchingTests : IDisposable
{
    private const int Queries = 4;
    private static readonly string[] Words = ["liver", "kidney", "lung", "heart", "spleen", "tumor", "brain", "bone", "colon", "cyst", "aorta", "pancreas"];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "medserve-parse-batching-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string Write(string name, bool fixedImageBatch = false) =>
        DemoPackages.WriteMedImageParse(Path.Combine(_root, name), imageSize: 32, dim: 16, queryCount: Queries, maskSize: 16, fixedImageBatch: fixedImageBatch);

    /// <summary>One prompt for the image-following query (the last) and one for each rectangle query, from the demo vocabulary.</summary>
    private static (string Bright, string[] Others) Prompts(string package)
    {
        var tokenizer = ClipTokenizer.FromOpenAiMerges(Path.Combine(package, "tokenizer", "demo_bpe_vocab.txt.gz"));
        var byQuery = Words.GroupBy(w => SyntheticMedImageParse.ExpectedQueryForPrompt(tokenizer.EncodeForModel(w).InputIds[1], Queries))
            .ToDictionary(g => g.Key, g => g.First());
        Assert.True(byQuery.Count == Queries, $"the test words reach only queries {string.Join(", ", byQuery.Keys)}");
        return (byQuery[Queries - 1], [.. Enumerable.Range(0, Queries - 1).Select(q => byQuery[q])]);
    }

    /// <summary>A 32×24 RGB image whose red channel has a bright block at a place that depends on the seed.</summary>
    private static string Image(int seed)
    {
        var pixels = new PixelBuffer(32, 24, PixelFormat.Rgb8);
        for (int y = 0; y < 24; y++)
        {
            for (int x = 0; x < 32; x++)
            {
                bool block = x >= seed * 3 && x < (seed * 3) + 10 && y >= seed * 2 && y < (seed * 2) + 8;
                int i = ((y * 32) + x) * 3;
                pixels.Data[i] = block ? (byte)250 : (byte)(x * 2);
                pixels.Data[i + 1] = (byte)(y * 5);
                pixels.Data[i + 2] = (byte)seed;
            }
        }

        return Convert.ToBase64String(PngEncoder.Encode(pixels));
    }

    private static string Body(IEnumerable<(string Image, string Text)> rows, string parameters = "{}") =>
        "{\"input_data\": {\"columns\": [\"image\", \"text\"], \"data\": [" + string.Join(", ", rows.Select(r => $"[\"{r.Image}\", \"{r.Text}\"]")) + "]}, \"params\": " + parameters + "}";

    private static async Task<ScoringResult> ScoreAsync(IScoringModel model, string json)
    {
        using var frame = ScoringFrameParser.TryParse(Encoding.UTF8.GetBytes(json), out string error) ?? throw new InvalidOperationException(error);
        return await model.ScoreAsync(frame, Token);
    }

    /// <summary>Scores every request at once, so their rows meet in the batchers.</summary>
    private static Task<ScoringResult[]> ScoreConcurrentlyAsync(IScoringModel model, string[] requests) =>
        Task.WhenAll(requests.Select(r => ScoreAsync(model, r)));

    /// <summary>Each request's answer is exactly the one it gets from a model without batching.</summary>
    private static async Task AssertSameAsAloneAsync(IScoringModel alone, string[] requests, ScoringResult[] results)
    {
        for (int r = 0; r < requests.Length; r++)
        {
            Assert.Equal(Ok(await ScoreAsync(alone, requests[r])), Ok(results[r]));
        }
    }

    private static string Ok(ScoringResult result)
    {
        string body = Encoding.UTF8.GetString(result.Body);
        Assert.True(result.StatusCode == 200, body);
        return body;
    }

    /// <summary>The masks of a row's first prompt.</summary>
    private static byte[] FirstMask(string body, int row)
    {
        using var json = JsonDocument.Parse(body);
        Assert.True(MaskArray.TryDecode(json.RootElement[row].GetProperty("image_features").GetString()!, out byte[] masks, out var shape, out string error), error);
        return masks[..(shape.Height * shape.Width)];
    }

    /// <summary>Requests of one to three rows, each row its own image and prompts (the image-following prompt first).</summary>
    private static string[] Requests(string bright, string[] others)
    {
        string Prompts(int r, int i) => $"{bright} & {others[(r + i) % others.Length]}" + (i == 1 ? $" & {others[(r + 2) % others.Length]}" : "");
        return [.. Enumerable.Range(0, 5).Select(r => Body(Enumerable.Range(0, (r % 3) + 1).Select(i => (Image((r * 3) + i), Prompts(r, i)))))];
    }

    [Fact]
    public async Task ScoreAsync_ConcurrentRequestsBatched_EachGetsTheMasksItGetsAlone()
    {
        string package = Write("symbolic");
        var (bright, others) = Prompts(package);
        using var batched = ModelLoader.Load(package, new ModelLoadOptions { Batching = new BatchingOptions { MaxBatchSize = 4 } });
        using var alone = ModelLoader.Load(package);
        string[] requests = Requests(bright, others);

        var results = await ScoreConcurrentlyAsync(batched, requests);

        await AssertSameAsAloneAsync(alone, requests, results);

        // The image-following masks differ from image to image, so rows given back to the wrong request would show.
        Assert.NotEqual(FirstMask(Ok(results[0]), 0), FirstMask(Ok(results[1]), 0));
        Assert.NotEqual(FirstMask(Ok(results[2]), 0), FirstMask(Ok(results[2]), 1));
    }

    [Fact]
    public async Task ScoreAsync_DetectionRecognitionAndPaddingBatched_SameAnswersAsAlone()
    {
        string package = Write("params");
        var (bright, others) = Prompts(package);
        using var batched = ModelLoader.Load(package, new ModelLoadOptions { Batching = new BatchingOptions { MaxBatchSize = 8 } });
        using var alone = ModelLoader.Load(package);
        string modality = $"\"{DemoPackages.DemoModality}\"";
        string[] requests =
        [
            Body([(Image(1), ""), (Image(2), "")], "{\"recognition\": true, \"modality\": " + modality + "}"),
            Body([(Image(3), $"{bright} & liver & {others[0]}")], "{\"detection\": true, \"modality\": " + modality + "}"),
            Body([(Image(4), $"{bright} & {others[1]}"), (Image(5), bright)], "{\"auto_preprocess\": true}"),
        ];

        var results = await ScoreConcurrentlyAsync(batched, requests);

        await AssertSameAsAloneAsync(alone, requests, results);

        Assert.Contains("\"p_values\"", Ok(results[0]), StringComparison.Ordinal);
        Assert.Contains("\"p_values\"", Ok(results[1]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreAsync_FixedBatchImageEncoderBatched_OneImagePerRunSameMasks()
    {
        string package = Write("fixed", fixedImageBatch: true);
        var (bright, others) = Prompts(package);
        using var batched = (MedImageParseModel)ModelLoader.Load(package, new ModelLoadOptions { Batching = new BatchingOptions { MaxBatchSize = 8 } });
        using var alone = (MedImageParseModel)ModelLoader.Load(package);
        string[] requests = Requests(bright, others);

        var results = await ScoreConcurrentlyAsync(batched, requests);

        Assert.Equal((1, 1, 8), (batched.ImageBatchLimit, batched.BatchedImageRunSize, batched.BatchedTextRunSize));
        Assert.Equal((1, null), (alone.ImageBatchLimit, alone.BatchedImageRunSize));
        await AssertSameAsAloneAsync(alone, requests, results);
    }

    [Theory]
    [InlineData(null, 4, 16)]
    [InlineData(500, 4, 16)]
    [InlineData(2, 2, 2)]
    public void Load_DeploymentBatchSize_CappedAtEachGraphsLimit(int? deployment, int image, int text)
    {
        using var model = (MedImageParseModel)ModelLoader.Load(Write("limits"), new ModelLoadOptions { Batching = new BatchingOptions { MaxBatchSize = deployment } });

        Assert.Equal((DemoPackages.DemoParseImageBatch, DemoPackages.DemoParseTextBatch), (model.ImageBatchLimit, model.TextBatchLimit));
        Assert.Equal((image, text), (model.BatchedImageRunSize, model.BatchedTextRunSize));
    }

    [Fact]
    public async Task ScoreAsync_TokenCancelledWhileQueued_CancelledWithoutRunning()
    {
        string package = Write("cancel");
        var (bright, _) = Prompts(package);
        // A long queue delay on a clock that never moves: the lone row waits in the queue until its token is cancelled.
        var clock = new StoppedClock();
        using var model = ModelLoader.Load(package, new ModelLoadOptions
        {
            Batching = new BatchingOptions { MaxBatchSize = 4, MaxQueueDelay = TimeSpan.FromHours(1) },
            Time = clock,
        });
        using var frame = ScoringFrameParser.TryParse(Encoding.UTF8.GetBytes(Body([(Image(1), bright)])), out string error) ?? throw new InvalidOperationException(error);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var scoring = model.ScoreAsync(frame, cancel.Token);
        // Both encoders' pumps wait out their queue delay: the image and the prompt are queued.
        await clock.TwoTimers.WaitAsync(Token);
        Assert.False(scoring.IsCompleted);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scoring);
    }

    /// <summary>A clock whose time never passes, so a queue delay never ends; it tells when two delays have begun.</summary>
    private sealed class StoppedClock : TimeProvider
    {
        private readonly TaskCompletionSource _twoTimers = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _timers;

        public Task TwoTimers => _twoTimers.Task;

        public override DateTimeOffset GetUtcNow() => new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override long GetTimestamp() => 0;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (Interlocked.Increment(ref _timers) == 2)
            {
                _twoTimers.TrySetResult();
            }

            return new NeverTimer();
        }

        private sealed class NeverTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
