using System.Net;
using System.Text;
using System.Text.Json;
using MedServe.Contracts;
using MedServe.Inference.Tokenization;
using MedServe.Models.Demo;
using MedServe.Models.MedImageParse;
using MedServe.Onnx;
using MedServe.Server.Configuration;
using SkiaSharp;

namespace MedServe.Server.Tests.Deployments;

/// <summary>
/// MedImageParse with a deployment's <c>batching</c> block, through the real server, on encoders that report
/// how many rows shared their run (<see cref="BatchSizeParsePackage"/>): the images and prompts of concurrent
/// requests share encoder runs and each request gets its own answer; with batching off each runs alone; a
/// prompt that makes the text encoder fail fails only its own request (500) and the server serves the next
/// one. And a float16 package answers the float32 package's masks within the documented tolerance.
/// </summary>
public sealed class ParseBatchingTests : IDisposable
{
    private const string Endpoint = "parse-batched";
    private static readonly string[] Words = ["liver", "kidney", "lung", "heart", "spleen", "tumor", "brain", "bone", "colon", "cyst", "aorta", "pancreas", "stomach", "bladder", "prostate", "thyroid"];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "medserve-parse-batch-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static CancellationToken Token => DeploymentHost.Token;

    /// <summary>Two prompts whose first content tokens are below a third's (and below the warm-up's), and that third one.</summary>
    private (string First, string Second, string Bad, int BadToken) Prompts()
    {
        string merges = Path.Combine(_root, "merges.txt.gz");
        Directory.CreateDirectory(_root);
        File.WriteAllBytes(merges, ClipVocabularyBuilder.BuildOpenAiMergesGz());
        var tokenizer = ClipTokenizer.FromOpenAiMerges(merges);
        long First(string text) => tokenizer.EncodeForModel(text).InputIds[1];
        var ordered = Words.OrderBy(First).ToArray();
        string bad = ordered[^1];
        long warmUp = First("medserve warm-up");
        Assert.True(First(bad) > Math.Max(First(ordered[1]), warmUp), "the test words need a first token above the others' and the warm-up's");
        return (ordered[0], ordered[1], bad, (int)First(bad));
    }

    private string Package(int failingToken) => BatchSizeParsePackage.Write(Path.Combine(_root, "probe"), failingToken);

    private static StringContent Request(string prompt, byte red = 90) => Request([prompt], red);

    /// <summary>One row per prompt, each with a 32×32 image.</summary>
    private static StringContent Request(string[] prompts, byte red = 90) =>
        new(ParseExpectations.Request(prompts.Select(p => ((byte[]?)ParseExpectations.Png(BatchSizeParsePackage.Size, BatchSizeParsePackage.Size, new SKColor(red, 120, 30)), (string?)p))),
            Encoding.UTF8, "application/json");

    /// <summary>Asserts a one-row, one-prompt answer's category and mask.</summary>
    private static async Task AssertAnswerAsync(string category, byte[] mask, Task<HttpResponseMessage> response)
    {
        var (actualCategory, actualMask) = await ReadAsync(await response);
        Assert.Equal(category, actualCategory);
        Assert.Equal(mask, actualMask);
    }

    private static async Task<(string Category, byte[] Mask)> ReadAsync(HttpResponseMessage response) =>
        Assert.Single(await ReadRowsAsync(response));

    /// <summary>Each row's category and mask; every row has one prompt.</summary>
    private static async Task<(string Category, byte[] Mask)[]> ReadRowsAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return [.. json.RootElement.EnumerateArray().Select(row =>
        {
            var (masks, count, _, _) = ParseExpectations.DecodeMasks(row);
            Assert.Equal(1, count);
            return (Assert.Single(ParseExpectations.Names(row)), masks);
        })];
    }

    private static byte[] Constant(byte value) => Enumerable.Repeat(value, BatchSizeParsePackage.Size * BatchSizeParsePackage.Size).ToArray();

    private static string Category(int batch) => MedImageParseCategories.Names[batch];

    /// <summary>The mask of query 1 (a text run of one prompt) on a 32×32 image.</summary>
    private static byte[] Rectangle => ParseExpectations.RectangleMask(1, BatchSizeParsePackage.Size, BatchSizeParsePackage.Size);

    [Fact]
    public async Task Score_TwoConcurrentRequests_TheirImagesAndPromptsShareEncoderRuns()
    {
        var (first, second, _, bad) = Prompts();
        await using var host = await DeploymentHost.StartAsync();
        // Two rows fill each batch at once; the long delay only matters if they did not share it.
        var client = await host.DeployBatchedAsync(Endpoint, Package(bad), new BatchingSettings { MaxBatchSize = 2, MaxQueueDelayMs = 1000 });

        var a = client.PostAsync($"/endpoints/{Endpoint}/score", Request(first), Token);
        var b = client.PostAsync($"/endpoints/{Endpoint}/score", Request(second, red: 200), Token);

        // Text runs of two prompts pick query 2, whose mask follows mask_features: B − 1.5 of an image run of two.
        byte[] constant = Constant(BatchSizeParsePackage.ConstantMask(2));
        await AssertAnswerAsync(Category(2), constant, a);
        await AssertAnswerAsync(Category(2), constant, b);
    }

    [Fact]
    public async Task Score_BatchingOff_EachRequestRunsItsEncodersAlone()
    {
        var (first, second, _, bad) = Prompts();
        await using var host = await DeploymentHost.StartAsync();
        var client = await host.DeployBatchedAsync(Endpoint, Package(bad), new BatchingSettings { Enabled = false });

        var a = client.PostAsync($"/endpoints/{Endpoint}/score", Request(first), Token);
        var b = client.PostAsync($"/endpoints/{Endpoint}/score", Request(second), Token);

        // Text runs of one prompt pick query 1: its rectangle.
        await AssertAnswerAsync(Category(1), Rectangle, a);
        await AssertAnswerAsync(Category(1), Rectangle, b);
    }

    [Fact]
    public async Task Score_BadPromptInACoalescedBatch_OnlyItsRequestFailsAndTheNextIsServed()
    {
        var (first, second, badPrompt, bad) = Prompts();
        await using var host = await DeploymentHost.StartAsync();
        var client = await host.DeployBatchedAsync(Endpoint, Package(bad), new BatchingSettings { MaxBatchSize = 2, MaxQueueDelayMs = 1000 });

        var good = client.PostAsync($"/endpoints/{Endpoint}/score", Request(first), Token);
        var failing = client.PostAsync($"/endpoints/{Endpoint}/score", Request(badPrompt), Token);

        // The shared text run fails; each prompt runs again alone, so the good one ends in a run of one (query 1).
        var failed = await failing;
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("True", failed.Headers.GetValues(WireHeaders.RunFunctionFailed).Single());
        await AssertAnswerAsync(Category(1), Rectangle, good);

        // A lone request waits out the queue delay on the fake clock, then runs alone.
        var next = client.PostAsync($"/endpoints/{Endpoint}/score", Request(second), Token);
        await host.AdvanceUntilAsync(next);
        await AssertAnswerAsync(Category(1), Rectangle, next);
    }

    [Fact]
    public async Task Score_DeadlinePassesWhileQueued_Returns408AndTheRowNeverRuns()
    {
        var (first, second, _, bad) = Prompts();
        await using var host = await DeploymentHost.StartAsync();
        var client = await host.DeployBatchedAsync(Endpoint, Package(bad), new BatchingSettings { MaxBatchSize = 2, MaxQueueDelayMs = 1000 }, timeoutMs: 500);


        // The image and the prompt wait for a second row (up to 1000 ms on the fake clock); the deadline (500 ms) comes first.
        var late = client.PostAsync($"/endpoints/{Endpoint}/score", Request(first), Token);
        await host.AdvanceUntilAsync(late);
        var response = await late;
        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.Equal("the request ran longer than deployment 'blue''s request_timeout_ms (500 ms); its work was cancelled", await DeploymentHost.MessageAsync(response));

        // Two rows fill both batches at once; had the given-up row stayed queued, it would have taken a place
        // in them, and one of these rows would have run alone (query 1, a rectangle).
        var next = await client.PostAsync($"/endpoints/{Endpoint}/score", Request([first, second]), Token);
        var rows = await ReadRowsAsync(next);
        byte[] constant = Constant(BatchSizeParsePackage.ConstantMask(2));
        Assert.Equal(2, rows.Length);
        Assert.All(rows, row =>
        {
            Assert.Equal(Category(2), row.Category);
            Assert.Equal(constant, row.Mask);
        });
    }

    [Fact]
    public async Task Score_Float16Package_MasksWithinTwoLevelsOfTheFloat32Package()
    {
        await using var host = await DeploymentHost.StartAsync();
        var clients = new Dictionary<OnnxElementType, HttpClient>();
        foreach (var type in new[] { OnnxElementType.Float, OnnxElementType.Float16 })
        {
            string package = DemoPackages.WriteMedImageParse(Path.Combine(_root, type.ToString()), imageSize: 64, dim: 16, queryCount: 4, maskSize: 16, floatType: type);
            clients[type] = await host.DeployBatchedAsync($"parse-{type.ToString().ToLowerInvariant()}", package, new BatchingSettings());
        }

        // A red ramp with a bright box: the image-following query (3) gets grey edges, the others rectangles.
        byte[] png = ParseExpectations.Png(48, 40, new SKColor(120, 80, 40), new SKRectI(10, 8, 30, 25), new SKColor(250, 200, 10));
        string body = ParseExpectations.Request([(png, "liver & kidney & lung & heart & spleen & tumor & brain & bone")], "{\"auto_preprocess\": true}");
        var answers = new Dictionary<OnnxElementType, JsonElement>();
        foreach (var (type, client) in clients)
        {
            var response = await client.PostAsync($"/endpoints/parse-{type.ToString().ToLowerInvariant()}/score", new StringContent(body, Encoding.UTF8, "application/json"), Token);
            string text = await response.Content.ReadAsStringAsync(Token);
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            answers[type] = JsonDocument.Parse(text).RootElement[0].Clone();
        }

        Assert.Equal(ParseExpectations.Names(answers[OnnxElementType.Float]), ParseExpectations.Names(answers[OnnxElementType.Float16]));
        byte[] expected = ParseExpectations.DecodeMasks(answers[OnnxElementType.Float]).Masks;
        byte[] actual = ParseExpectations.DecodeMasks(answers[OnnxElementType.Float16]).Masks;
        Assert.Equal(expected.Length, actual.Length);
        Assert.All(Enumerable.Range(0, expected.Length), i => Assert.InRange(actual[i], expected[i] - 2, expected[i] + 2));
        Assert.True(expected.Count(v => v is > 5 and < 250) > 20, "the masks have too few intermediate values to compare precisions");
    }
}
