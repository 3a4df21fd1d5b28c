using System.Net;
using System.Text;
using System.Text.Json;
using MedServe.Models;
using MedServe.Models.MedImageInsight;
using MedServe.Server.Configuration;

namespace MedServe.Server.Tests.Deployments;

/// <summary>
/// A deployment's <c>batching</c> block through the real server, on a text encoder that reports the batch
/// size of each graph run (<see cref="BatchSizeTextEncoderPackage"/>): rows of concurrent requests share a
/// run and go back to their own requests in order; with batching off each request runs alone; a request
/// whose deadline passes while its row is queued is answered 408 and its row never runs.
/// </summary>
public sealed class BatchingTests : IDisposable
{
    private const string Endpoint = "batched";
    private static readonly string[] Texts = ["lung", "heart liver", "one two three four"];
    private readonly string _package = BatchSizeTextEncoderPackage.Write(Path.Combine(Path.GetTempPath(), "medserve-batch-" + Guid.NewGuid().ToString("N")));

    public void Dispose() => Directory.Delete(_package, recursive: true);

    private Task<(DeploymentHost Host, HttpClient Client)> StartAsync(BatchingSettings batching, int timeoutMs = 60_000) =>
        DeploymentHost.StartBatchedAsync(Endpoint, _package, batching, timeoutMs);

    private static StringContent Rows(params string[] texts) =>
        new("{\"input_data\": {\"columns\": [\"text\"], \"data\": [" + string.Join(", ", texts.Select(t => $"[\"{t}\"]")) + "]}}", Encoding.UTF8, "application/json");

    private static async Task<(int BatchSize, int EosIndex)[]> ReadAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync(DeploymentHost.Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return [.. json.RootElement.EnumerateArray().Select(BatchSizeTextEncoderPackage.Read)];
    }

    private int[] EosIndexes()
    {
        using var model = (MedImageInsightModel)ModelLoader.Load(_package);
        int[] eos = [.. Texts.Select(t => model.Tokenizer.EncodeForModel(t, 77).EosIndex)];
        Assert.Equal(eos.Length, eos.Distinct().Count());
        return eos;
    }

    [Fact]
    public async Task Score_TwoConcurrentRequests_TheirRowsShareOneGraphRunAndGoBackInOrder()
    {
        int[] eos = EosIndexes();
        // Three rows fill a batch at once; the long delay only matters if they did not share it.
        var (host, client) = await StartAsync(new BatchingSettings { MaxBatchSize = 3, MaxQueueDelayMs = 1000 });
        await using var _ = host;

        var first = client.PostAsync($"/endpoints/{Endpoint}/score", Rows(Texts[0]), DeploymentHost.Token);
        var second = client.PostAsync($"/endpoints/{Endpoint}/score", Rows(Texts[1], Texts[2]), DeploymentHost.Token);

        Assert.Equal([(3, eos[0])], await ReadAsync(await first));
        Assert.Equal([(3, eos[1]), (3, eos[2])], await ReadAsync(await second));
    }

    [Fact]
    public async Task Score_BatchingOff_EachRequestRunsItsOwnRows()
    {
        int[] eos = EosIndexes();
        var (host, client) = await StartAsync(new BatchingSettings { Enabled = false });
        await using var _ = host;

        var first = client.PostAsync($"/endpoints/{Endpoint}/score", Rows(Texts[0]), DeploymentHost.Token);
        var second = client.PostAsync($"/endpoints/{Endpoint}/score", Rows(Texts[1], Texts[2]), DeploymentHost.Token);

        Assert.Equal([(1, eos[0])], await ReadAsync(await first));
        Assert.Equal([(2, eos[1]), (2, eos[2])], await ReadAsync(await second));
    }

    [Fact]
    public async Task Score_DeadlinePassesWhileQueued_Returns408AndTheRowNeverRuns()
    {
        int[] eos = EosIndexes();
        var (host, client) = await StartAsync(new BatchingSettings { MaxBatchSize = 2, MaxQueueDelayMs = 1000 }, timeoutMs: 500);
        await using var _ = host;

        // The row waits for a second row (up to 1000 ms on the server's fake clock); its deadline (500 ms) comes first.
        var late = client.PostAsync($"/endpoints/{Endpoint}/score", Rows(Texts[0]), DeploymentHost.Token);
        await host.AdvanceUntilAsync(late);
        var response = await late;
        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.Equal("the request ran longer than deployment 'blue''s request_timeout_ms (500 ms); its work was cancelled", await DeploymentHost.MessageAsync(response));

        // Had the given-up row stayed queued, it would have taken a place in this batch of two.
        var next = await client.PostAsync($"/endpoints/{Endpoint}/score", Rows(Texts[1], Texts[2]), DeploymentHost.Token);
        Assert.Equal([(2, eos[1]), (2, eos[2])], await ReadAsync(next));
    }
}
