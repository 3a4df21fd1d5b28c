namespace MedServe.Cli.Bench;

/// <summary>How <see cref="LoadGenerator"/> sends requests.</summary>
internal sealed record LoadSettings
{
    /// <summary>Closed loop (workers back to back) or open loop (a fixed arrival rate).</summary>
    public required LoadMode Mode { get; init; }

    /// <summary>Closed loop: the number of workers. Open loop: not used (see <see cref="MaxOutstanding"/>).</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>Open loop: arrivals per second.</summary>
    public double Rate { get; init; }

    /// <summary>Open loop: arrivals beyond this many requests in flight are dropped (counted, not sent).</summary>
    public int MaxOutstanding { get; init; } = 256;

    /// <summary>Stop after this many requests (closed: sent; open: arrivals, dropped ones included); null for no limit.</summary>
    public long? Requests { get; init; }

    /// <summary>Stop starting requests after this long; null for no limit.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Requests sent (closed loop, same concurrency) before measuring; not counted.</summary>
    public int Warmup { get; init; }
}
