namespace MedServe.Cli.Bench;

/// <summary>The figures of one <c>medserve bench</c> run, as printed and as written by <c>--json-out</c>.</summary>
internal sealed record BenchReport
{
    /// <summary>The URL, or "in-process" and the package folder.</summary>
    public required string Target { get; init; }

    public required LoadMode Mode { get; init; }

    /// <summary>Closed loop: workers. Open loop: the bound on requests in flight.</summary>
    public required int Concurrency { get; init; }

    /// <summary>Open loop: arrivals per second; null in a closed loop.</summary>
    public double? Rate { get; init; }

    /// <summary>Requests that finished (answered with any status, or failed without an answer).</summary>
    public required long Requests { get; init; }

    /// <summary>Requests answered 2xx.</summary>
    public required long Succeeded { get; init; }

    /// <summary>Rows of the request file (its <c>input_data.data</c> length).</summary>
    public required int RowsPerRequest { get; init; }

    public required double DurationSeconds { get; init; }

    /// <summary>Latency of every answered request (any status).</summary>
    public LatencySummary? Latency { get; init; }

    /// <summary>Latency per status code, keyed by the code.</summary>
    public required IReadOnlyDictionary<int, LatencySummary> LatencyByStatus { get; init; }

    /// <summary>Answered requests per HTTP status code.</summary>
    public required IReadOnlyDictionary<int, long> StatusCounts { get; init; }

    public long TransportErrors { get; init; }

    public long Timeouts { get; init; }

    public long Cancelled { get; init; }

    public long Dropped { get; init; }

    public bool Interrupted { get; init; }

    /// <summary>2xx answers per second.</summary>
    public double ThroughputRps => DurationSeconds > 0 ? Succeeded / DurationSeconds : 0;

    /// <summary>Rows of 2xx answers per second.</summary>
    public double RowsPerSecond => ThroughputRps * RowsPerRequest;

    /// <summary>Builds the report from a run's raw latencies.</summary>
    public static BenchReport From(LoadResult result, LoadSettings settings, string target, int rowsPerRequest)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(settings);
        var counts = new SortedDictionary<int, long>();
        var byStatus = new SortedDictionary<int, LatencySummary>();
        var answered = new List<double>();
        long requests = 0;
        long succeeded = 0;
        foreach (var (status, latencies) in result.LatenciesByStatus)
        {
            requests += latencies.Count;
            if (status < 0)
            {
                continue;
            }

            counts[status] = latencies.Count;
            if (status is >= 200 and <= 299)
            {
                succeeded += latencies.Count;
            }

            answered.AddRange(latencies);
            byStatus[status] = Percentiles.Summarize(latencies)!;
        }

        long Count(int code) => result.LatenciesByStatus.TryGetValue(code, out var l) ? l.Count : 0;
        return new BenchReport
        {
            Target = target,
            Mode = settings.Mode,
            Concurrency = settings.Mode == LoadMode.Closed ? settings.Concurrency : settings.MaxOutstanding,
            Rate = settings.Mode == LoadMode.Open ? settings.Rate : null,
            Requests = requests,
            Succeeded = succeeded,
            RowsPerRequest = rowsPerRequest,
            DurationSeconds = result.Elapsed.TotalSeconds,
            Latency = Percentiles.Summarize(answered),
            LatencyByStatus = byStatus,
            StatusCounts = counts,
            TransportErrors = Count(Outcome.TransportError),
            Timeouts = Count(Outcome.Timeout),
            Cancelled = Count(Outcome.Cancelled),
            Dropped = result.Dropped,
            Interrupted = result.Interrupted,
        };
    }
}
