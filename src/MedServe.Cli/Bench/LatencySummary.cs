namespace MedServe.Cli.Bench;

/// <summary>Latency percentiles in milliseconds (nearest rank, see <see cref="Percentiles"/>).</summary>
internal sealed record LatencySummary(double P50, double P95, double P99, double Max);
