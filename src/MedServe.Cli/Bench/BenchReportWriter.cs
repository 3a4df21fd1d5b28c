using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MedServe.Cli.Bench;

/// <summary>Prints a <see cref="BenchReport"/> as text and writes it as the <c>--json-out</c> JSON (docs/cli.md#bench).</summary>
internal static class BenchReportWriter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string ToText(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        string mode = report.Mode == LoadMode.Closed
            ? $"closed loop, concurrency {report.Concurrency}"
            : string.Create(Invariant, $"open loop, {report.Rate:0.##} req/s, at most {report.Concurrency} in flight");
        text.AppendLine(Invariant, $"target:      {report.Target}{(report.Interrupted ? "   (interrupted)" : "")}");
        text.AppendLine(Invariant, $"load:        {mode}, {report.DurationSeconds:0.00} s");
        text.AppendLine(Invariant, $"requests:    {report.Requests} finished, {report.Succeeded} ok (2xx), {report.Requests - report.Succeeded} not ok, {report.Dropped} dropped");
        text.AppendLine(Invariant, $"throughput:  {report.ThroughputRps:0.0} req/s, {report.RowsPerSecond:0.0} rows/s ({report.RowsPerRequest} rows per request; 2xx only)");
        text.AppendLine($"latency ms:  {Format(report.Latency)}   (every answered request)");
        if (report.LatencyByStatus.Count > 1)
        {
            foreach (var (status, summary) in report.LatencyByStatus)
            {
                text.AppendLine(Invariant, $"  {status}:       {Format(summary)}");
            }
        }

        string statuses = report.StatusCounts.Count == 0
            ? "none"
            : string.Join(", ", report.StatusCounts.Select(p => string.Create(Invariant, $"{p.Key}: {p.Value}")));
        text.AppendLine($"status:      {statuses}");
        text.AppendLine(Invariant, $"no answer:   {report.TransportErrors} transport errors, {report.Timeouts} timeouts, {report.Cancelled} cancelled");
        return text.ToString();
    }

    public static byte[] ToJson(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("target", report.Target);
            json.WriteString("mode", report.Mode == LoadMode.Closed ? "closed" : "open");
            json.WriteNumber("concurrency", report.Concurrency);
            if (report.Rate is { } rate)
            {
                json.WriteNumber("rate", rate);
            }
            else
            {
                json.WriteNull("rate");
            }

            json.WriteNumber("requests", report.Requests);
            json.WriteNumber("succeeded", report.Succeeded);
            json.WriteNumber("duration_s", Round(report.DurationSeconds));
            json.WriteNumber("throughput_rps", Round(report.ThroughputRps));
            json.WriteNumber("rows_per_request", report.RowsPerRequest);
            json.WriteNumber("rows_per_s", Round(report.RowsPerSecond));
            json.WritePropertyName("latency_ms");
            WriteLatency(json, report.Latency);
            json.WriteStartObject("latency_ms_by_status");
            foreach (var (status, summary) in report.LatencyByStatus)
            {
                json.WritePropertyName(status.ToString(Invariant));
                WriteLatency(json, summary);
            }

            json.WriteEndObject();
            json.WriteStartObject("status_counts");
            foreach (var (status, count) in report.StatusCounts)
            {
                json.WriteNumber(status.ToString(Invariant), count);
            }

            json.WriteEndObject();
            json.WriteNumber("transport_errors", report.TransportErrors);
            json.WriteNumber("timeouts", report.Timeouts);
            json.WriteNumber("cancelled", report.Cancelled);
            json.WriteNumber("dropped", report.Dropped);
            json.WriteBoolean("interrupted", report.Interrupted);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string Format(LatencySummary? summary) => summary is null
        ? "none answered"
        : string.Create(Invariant, $"p50 {summary.P50:0.000}  p95 {summary.P95:0.000}  p99 {summary.P99:0.000}  max {summary.Max:0.000}");

    private static void WriteLatency(Utf8JsonWriter json, LatencySummary? summary)
    {
        json.WriteStartObject();
        foreach (var (name, value) in new[] { ("p50", summary?.P50), ("p95", summary?.P95), ("p99", summary?.P99), ("max", summary?.Max) })
        {
            if (value is { } v)
            {
                json.WriteNumber(name, Round(v));
            }
            else
            {
                json.WriteNull(name);
            }
        }

        json.WriteEndObject();
    }

    private static double Round(double value) => Math.Round(value, 3);
}
