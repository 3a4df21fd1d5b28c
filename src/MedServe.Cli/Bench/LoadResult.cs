namespace MedServe.Cli.Bench;

/// <summary>The raw outcome of a run: one latency per finished request, keyed by status or <see cref="Outcome"/> code.</summary>
internal sealed record LoadResult
{
    /// <summary>Latencies in milliseconds per status code (HTTP) or negative <see cref="Outcome"/> code.</summary>
    public required IReadOnlyDictionary<int, List<double>> LatenciesByStatus { get; init; }

    /// <summary>From the first measured request's start to the last one's end.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Open-loop arrivals not sent because too many requests were in flight.</summary>
    public long Dropped { get; init; }

    /// <summary>Whether the run was stopped by Ctrl+C before it was done.</summary>
    public bool Interrupted { get; init; }
}
