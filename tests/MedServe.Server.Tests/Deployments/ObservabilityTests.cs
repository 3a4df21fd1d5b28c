using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MedServe.Server.Hosting;
using MedServe.Server.Management;
using MedServe.Server.State;
using Microsoft.Extensions.Time.Testing;

namespace MedServe.Server.Tests.Deployments;

/// <summary>Prometheus metrics through OpenTelemetry, and the audit log (its fields, its hashes, its survival of a clean stop).</summary>
public sealed class ObservabilityTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-observe-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Metrics_AfterRequests_ExposeCountsHistogramsInFlightAndLoadTime()
    {
        await using var host = await DeploymentHost.StartAsync();
        var keys = await host.BlueGreenAsync("measured", 100, 0);
        using var client = host.Client(keys.PrimaryKey);
        await DeploymentHost.ServedByAsync(await client.PostAsync("/endpoints/measured/score", DeploymentHost.Text(), DeploymentHost.Token));
        await DeploymentHost.ServedByAsync(await client.PostAsync("/endpoints/measured/score", DeploymentHost.Text(), DeploymentHost.Token));
        using var wrong = host.Client("wrong-key-0123456789");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.PostAsync("/endpoints/measured/score", DeploymentHost.Text(), DeploymentHost.Token)).StatusCode);

        var response = await host.Client().GetAsync("/metrics", DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string text = await response.Content.ReadAsStringAsync(DeploymentHost.Token);
        Assert.Matches("medserve_requests_total\\{otel_scope_name=\"MedServe.Server\",deployment=\"blue\",endpoint=\"measured\",reason=\"ok\",status=\"200\"[^}]*\\} 2", text);
        Assert.Matches("medserve_requests_total\\{otel_scope_name=\"MedServe.Server\",deployment=\"\",endpoint=\"measured\",reason=\"unauthorized\",status=\"401\"[^}]*\\} 1", text);
        foreach (string histogram in new[] { "medserve_queue_duration_seconds", "medserve_preprocess_duration_seconds", "medserve_inference_duration_seconds", "medserve_postprocess_duration_seconds" })
        {
            Assert.Matches(histogram + "_count\\{otel_scope_name=\"MedServe.Server\",deployment=\"blue\",endpoint=\"measured\"[^}]*\\} 2", text);
        }

        Assert.Matches("medserve_request_rows_sum\\{otel_scope_name=\"MedServe.Server\",deployment=\"blue\",endpoint=\"measured\"[^}]*\\} 2", text);
        Assert.Matches("medserve_in_flight_requests\\{otel_scope_name=\"MedServe.Server\",deployment=\"blue\",endpoint=\"measured\"[^}]*\\} 0", text);
        Assert.Matches("medserve_model_load_duration_seconds_count\\{otel_scope_name=\"MedServe.Server\",deployment=\"green\",endpoint=\"measured\"[^}]*\\} 1", text);
        Assert.DoesNotContain(keys.PrimaryKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("chest x-ray", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Traces_OtlpConfigured_OneSpanPerRequestWithNamesAndCodesOnly()
    {
        var spans = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == "MedServe.Server",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        // Nothing listens on the collector port: export fails quietly in the background and scoring is unaffected.
        await using var host = await DeploymentHost.StartAsync(new ServerOptions { OtlpEndpoint = new Uri("http://127.0.0.1:9") });
        var keys = await host.BlueGreenAsync("traced", 100, 0);
        using var client = host.Client(keys.PrimaryKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/endpoints/traced/score") { Content = DeploymentHost.Text("left lower lobe opacity") };
        request.Headers.Add("x-request-id", "trace-me-1");
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await client.SendAsync(request, DeploymentHost.Token)));

        var span = Assert.Single(spans, a => a.GetTagItem("medserve.request_id") as string == "trace-me-1");
        Assert.Equal("score", span.OperationName);
        Assert.Equal("traced", span.GetTagItem("medserve.endpoint"));
        Assert.Equal("blue", span.GetTagItem("medserve.deployment"));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        Assert.Equal(1, span.GetTagItem("medserve.rows"));
        Assert.DoesNotContain(span.TagObjects, t => t.Value?.ToString()?.Contains("opacity", StringComparison.Ordinal) ?? false);
    }

    [Fact]
    public async Task Audit_ScoringRequests_RecordFieldsHashesAndCallerSlotNeverTheKey()
    {
        string state = Path.Combine(_dir, "audit.db");
        EndpointKeys keys;
        string body = "{\"input_data\": {\"columns\": [\"text\"], \"index\": [0, 1], \"data\": [[\"left lung\"], [\"right lung\"]]}}";
        string responseBody;
        DateTimeOffset started;
        await using (var host = await DeploymentHost.StartAsync(new ServerOptions { StatePath = state }))
        {
            started = host.Time.GetUtcNow();
            keys = await host.BlueGreenAsync("audited", 100, 0);
            using var primary = host.Client(keys.PrimaryKey);
            var response = await primary.PostAsync("/endpoints/audited/score", new StringContent(body, Encoding.UTF8, "application/json"), DeploymentHost.Token);
            responseBody = await response.Content.ReadAsStringAsync(DeploymentHost.Token);
            host.Time.Advance(TimeSpan.FromMinutes(5));
            using var secondary = host.Client(keys.SecondaryKey);
            using var pinned = new HttpRequestMessage(HttpMethod.Post, "/endpoints/audited/score") { Content = DeploymentHost.Text() };
            pinned.Headers.Add("azureml-model-deployment", "green");
            Assert.Equal("green", await DeploymentHost.ServedByAsync(await secondary.SendAsync(pinned, DeploymentHost.Token)));

            var all = Read(await host.Admin.GetAsync("/management/audit?endpoint=audited", DeploymentHost.Token));
            Assert.Equal(2, all.Count);
            var first = all[0];
            Assert.Equal(started, first.TimeUtc);
            Assert.Equal("audited", first.Endpoint);
            Assert.Equal("blue", first.Deployment);
            Assert.Equal("fake-blue", first.ModelName);
            Assert.Equal("7.1", first.ModelVersion);
            Assert.Equal("key:primary", first.Caller);
            Assert.Equal(2, first.Rows);
            Assert.Equal(200, first.Status);
            Assert.Equal(Sha256(body), first.RequestSha256);
            Assert.Equal(Sha256(responseBody), first.ResponseSha256);
            Assert.Equal(["green", "key:secondary"], new[] { all[1].Deployment, all[1].Caller });

            var since = Read(await host.Admin.GetAsync($"/management/audit?endpoint=audited&since={Uri.EscapeDataString(started.AddMinutes(1).ToString("O"))}", DeploymentHost.Token));
            Assert.Equal("green", Assert.Single(since).Deployment);
            var bad = await host.Admin.GetAsync("/management/audit?since=yesterday", DeploymentHost.Token);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("since: 'yesterday' is not an ISO 8601 time such as 2026-01-31T08:00:00Z", await DeploymentHost.MessageAsync(bad));

            // Records queued right before a clean stop are written, not lost.
            for (int i = 0; i < 50; i++)
            {
                await DeploymentHost.ServedByAsync(await primary.PostAsync("/endpoints/audited/score", DeploymentHost.Text(), DeploymentHost.Token));
            }

            await host.StopAsync();
        }

        using var store = StateStore.Open(state, new FakeTimeProvider());
        var stored = store.QueryAudit("audited", null, 1000);
        Assert.Equal(52, stored.Count);
        string everything = string.Join("\n", stored.Select(r => JsonSerializer.Serialize(r, ManagementJsonContext.Default.AuditRecord)));
        Assert.DoesNotContain(keys.PrimaryKey, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(keys.SecondaryKey, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("lung", everything, StringComparison.Ordinal);
    }

    private static List<AuditRecord> Read(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. JsonSerializer.Deserialize(response.Content.ReadAsStream(DeploymentHost.Token), ManagementJsonContext.Default.IReadOnlyListAuditRecord)!];
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
