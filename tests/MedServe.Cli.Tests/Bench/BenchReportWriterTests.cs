using System.Text.Json;
using MedServe.Cli.Bench;

namespace MedServe.Cli.Tests.Bench;

public sealed class BenchReportWriterTests
{
    private static BenchReport Sample()
    {
        var result = new LoadResult
        {
            LatenciesByStatus = new Dictionary<int, List<double>>
            {
                [200] = [1, 2, 3, 4],
                [429] = [0.5],
                [Outcome.TransportError] = [9],
                [Outcome.Timeout] = [60_000, 60_000],
            },
            Elapsed = TimeSpan.FromSeconds(2),
            Dropped = 3,
        };
        var settings = new LoadSettings { Mode = LoadMode.Open, Rate = 10, MaxOutstanding = 16, Requests = 11 };
        return BenchReport.From(result, settings, "http://127.0.0.1:1/score", rowsPerRequest: 5);
    }

    [Fact]
    public void ToJson_Report_HasExactlyTheDocumentedKeysAndValues()
    {
        using var json = JsonDocument.Parse(BenchReportWriter.ToJson(Sample()));
        var root = json.RootElement;
        Assert.Equal(
            ["target", "mode", "concurrency", "rate", "requests", "succeeded", "duration_s", "throughput_rps", "rows_per_request", "rows_per_s",
             "latency_ms", "latency_ms_by_status", "status_counts", "transport_errors", "timeouts", "cancelled", "dropped", "interrupted"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("open", root.GetProperty("mode").GetString());
        Assert.Equal(16, root.GetProperty("concurrency").GetInt32());
        Assert.Equal(10, root.GetProperty("rate").GetDouble());
        Assert.Equal(8, root.GetProperty("requests").GetInt64());
        Assert.Equal(4, root.GetProperty("succeeded").GetInt64());
        Assert.Equal(2, root.GetProperty("duration_s").GetDouble());
        Assert.Equal(2, root.GetProperty("throughput_rps").GetDouble());
        Assert.Equal(10, root.GetProperty("rows_per_s").GetDouble());

        // Latency covers answered requests only (200 and 429): 0.5, 1, 2, 3, 4.
        var latency = root.GetProperty("latency_ms");
        Assert.Equal(["p50", "p95", "p99", "max"], latency.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, latency.GetProperty("p50").GetDouble());
        Assert.Equal(4, latency.GetProperty("p95").GetDouble());
        Assert.Equal(4, latency.GetProperty("max").GetDouble());
        Assert.Equal(0.5, root.GetProperty("latency_ms_by_status").GetProperty("429").GetProperty("p99").GetDouble());
        Assert.Equal(["200", "429"], root.GetProperty("latency_ms_by_status").EnumerateObject().Select(p => p.Name));

        var counts = root.GetProperty("status_counts");
        Assert.Equal(["200", "429"], counts.EnumerateObject().Select(p => p.Name));
        Assert.Equal(4, counts.GetProperty("200").GetInt64());
        Assert.Equal(1, counts.GetProperty("429").GetInt64());
        Assert.Equal(1, root.GetProperty("transport_errors").GetInt64());
        Assert.Equal(2, root.GetProperty("timeouts").GetInt64());
        Assert.Equal(0, root.GetProperty("cancelled").GetInt64());
        Assert.Equal(3, root.GetProperty("dropped").GetInt64());
        Assert.False(root.GetProperty("interrupted").GetBoolean());
    }

    [Fact]
    public void ToJson_ClosedLoopWithNothingAnswered_WritesNullLatenciesAndNullRate()
    {
        var result = new LoadResult { LatenciesByStatus = new Dictionary<int, List<double>>(), Elapsed = TimeSpan.Zero, Interrupted = true };
        var report = BenchReport.From(result, new LoadSettings { Mode = LoadMode.Closed, Concurrency = 3 }, "x", 1);
        using var json = JsonDocument.Parse(BenchReportWriter.ToJson(report));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("rate").ValueKind);
        Assert.Equal(3, json.RootElement.GetProperty("concurrency").GetInt32());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("latency_ms").GetProperty("p50").ValueKind);
        Assert.Equal(0, json.RootElement.GetProperty("throughput_rps").GetDouble());
        Assert.True(json.RootElement.GetProperty("interrupted").GetBoolean());
    }

    [Fact]
    public void ToText_Report_PrintsEveryFigureOnItsDocumentedLine()
    {
        string[] lines = BenchReportWriter.ToText(Sample()).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "target:      http://127.0.0.1:1/score",
                "load:        open loop, 10 req/s, at most 16 in flight, 2.00 s",
                "requests:    8 finished, 4 ok (2xx), 4 not ok, 3 dropped",
                "throughput:  2.0 req/s, 10.0 rows/s (5 rows per request; 2xx only)",
                "latency ms:  p50 2.000  p95 4.000  p99 4.000  max 4.000   (every answered request)",
                "  200:       p50 2.000  p95 4.000  p99 4.000  max 4.000",
                "  429:       p50 0.500  p95 0.500  p99 0.500  max 0.500",
                "status:      200: 4, 429: 1",
                "no answer:   1 transport errors, 2 timeouts, 0 cancelled",
            ],
            lines);
    }
}
