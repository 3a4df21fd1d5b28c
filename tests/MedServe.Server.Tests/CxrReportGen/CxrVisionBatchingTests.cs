using System.Net;
using System.Text;
using System.Text.Json;
using MedServe.Models.Tests.CxrReportGen;
using MedServe.Server.Configuration;
using MedServe.Server.Tests.Deployments;

namespace MedServe.Server.Tests.CxrReportGen;

/// <summary>
/// CXRReportGen's vision graph behind a deployment's <c>batching</c> block, through the real server, on a
/// vision graph that flips the images' brightness when it runs more than one image
/// (<see cref="CxrTestPackages.WriteBatchRevealing"/>): a dark study then gets the bright findings and a bright
/// one the dark findings, so an answer tells whether its image shared a run and that it came back to its own request.
/// </summary>
public sealed class CxrVisionBatchingTests : IDisposable
{
    private const string Endpoint = "cxr-batched";
    private const string DarkFirstSentence = "The lungs are clear.";
    private const string BrightFirstSentence = "The cardiomediastinal silhouette is normal.";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "medserve-cxr-batch-server-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private Task<(DeploymentHost Host, HttpClient Client)> StartAsync(BatchingSettings batching, bool failOnBright = false, int timeoutMs = 60_000)
    {
        string package = CxrTestPackages.WriteBatchRevealing(Path.Combine(_root, "package"), failOnBright);
        return DeploymentHost.StartBatchedAsync(Endpoint, package, batching, timeoutMs);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, params byte[][] images)
    {
        string[] columns = ["frontal_image", "lateral_image", "prior_image"];
        string json = "{\"input_data\": {\"columns\": [" + string.Join(", ", columns.Take(images.Length).Select(c => $"\"{c}\""))
            + "], \"data\": [[" + string.Join(", ", images.Select(i => $"\"{Convert.ToBase64String(i)}\"")) + "]]}}";
        return client.PostAsync($"/endpoints/{Endpoint}/score", new StringContent(json, Encoding.UTF8, "application/json"), DeploymentHost.Token);
    }

    /// <summary>The first finding sentence of a one-row answer.</summary>
    private static async Task<string> FirstSentenceAsync(Task<HttpResponseMessage> pending)
    {
        var response = await pending;
        string body = await response.Content.ReadAsStringAsync(DeploymentHost.Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        using var rows = JsonDocument.Parse(body);
        using var findings = JsonDocument.Parse(Assert.Single(rows.RootElement.EnumerateArray()).GetProperty("output").GetString()!);
        return findings.RootElement[0][0].GetString()!;
    }

    [Fact]
    public async Task Score_TwoConcurrentRequests_TheirImagesShareOneVisionRunAndGoBackToTheirOwnRequests()
    {
        // Two images fill a batch at once; the long delay (never reached: the fake clock stands still) only
        // matters if they did not share it.
        var (host, client) = await StartAsync(new BatchingSettings { MaxBatchSize = 2, MaxQueueDelayMs = 1000 });
        await using var _ = host;

        var dark = PostAsync(client, CxrTestImages.Dark());
        var bright = PostAsync(client, CxrTestImages.Bright());

        // Flipped: each image ran in a run of two, and each request got its own image's embeddings back.
        Assert.Equal(BrightFirstSentence, await FirstSentenceAsync(dark));
        Assert.Equal(DarkFirstSentence, await FirstSentenceAsync(bright));
    }

    [Fact]
    public async Task Score_BatchingOff_EachRequestsImagesRunOnTheirOwn()
    {
        var (host, client) = await StartAsync(new BatchingSettings { Enabled = false });
        await using var _ = host;

        var dark = PostAsync(client, CxrTestImages.Dark());
        var bright = PostAsync(client, CxrTestImages.Bright());

        Assert.Equal(DarkFirstSentence, await FirstSentenceAsync(dark));
        Assert.Equal(BrightFirstSentence, await FirstSentenceAsync(bright));
    }

    [Fact]
    public async Task Score_ImageThatFailsASharedRun_FailsOnlyItsOwnRequestAndTheServerServesOn()
    {
        // A run holding the bright image fails; the two images share one (the batch of two fills), then run alone.
        var (host, client) = await StartAsync(new BatchingSettings { MaxBatchSize = 2, MaxQueueDelayMs = 1000 }, failOnBright: true);
        await using var _ = host;

        var dark = PostAsync(client, CxrTestImages.Dark());
        var bright = PostAsync(client, CxrTestImages.Bright());

        // The dark image's second run was alone: not flipped.
        Assert.Equal(DarkFirstSentence, await FirstSentenceAsync(dark));
        var failed = await bright;
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("True", failed.Headers.GetValues("x-ms-run-function-failed").Single());

        // The next request (two images: a full batch) is served, in one shared run.
        Assert.Equal(BrightFirstSentence, await FirstSentenceAsync(PostAsync(client, CxrTestImages.Dark(), CxrTestImages.Dark())));
    }

    [Fact]
    public async Task Score_DeadlinePassesWhileTheImageIsQueued_Returns408AndTheImageNeverRuns()
    {
        var (host, client) = await StartAsync(new BatchingSettings { MaxBatchSize = 2, MaxQueueDelayMs = 1000 }, timeoutMs: 500);
        await using var _ = host;

        // The image waits for a second one (up to 1000 ms on the server's fake clock); its deadline (500 ms) comes first.
        var late = PostAsync(client, CxrTestImages.Dark());
        await host.AdvanceUntilAsync(late);
        var response = await late;
        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.Equal("the request ran longer than deployment 'blue''s request_timeout_ms (500 ms); its work was cancelled", await DeploymentHost.MessageAsync(response));

        // Had the given-up image stayed queued, it would have taken a place in this batch of two, and the
        // lateral image would be left waiting for the delay on a clock that no longer moves.
        Assert.Equal(DarkFirstSentence, await FirstSentenceAsync(PostAsync(client, CxrTestImages.Bright(), CxrTestImages.Bright())));
    }
}
