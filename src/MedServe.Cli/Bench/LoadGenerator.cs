namespace MedServe.Cli.Bench;

/// <summary>
/// Sends requests to an <see cref="IBenchTarget"/> in a closed or an open loop and records every latency.
/// <code>
/// warm-up (closed, not recorded) ─► closed: N workers × (take ticket → send → record)
///                                   open:   every 1/R s an arrival → send unless MaxOutstanding in flight (else drop)
///                                 ─► wait for what is in flight ─► LoadResult
/// </code>
/// Stopping: the request count or the duration ends the starting of requests, and what is in flight
/// still finishes; cancellation (Ctrl+C) also cancels what is in flight.
/// </summary>
internal sealed class LoadGenerator(IBenchTarget target, LoadSettings settings, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, List<double>> _latencies = [];
    private long _completed;
    private long _failed;
    private long _dropped;
    private long _lastEnd;

    /// <summary>Requests finished so far in the measured phase (for the progress line).</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Finished requests without a 2xx answer so far.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Open-loop arrivals dropped so far.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Set when the measured phase starts.</summary>
    public long StartTimestamp { get; private set; }

    /// <summary>Raised once the warm-up is over and measuring begins.</summary>
    public event Action? Measuring;

    public async Task<LoadResult> RunAsync(CancellationToken cancellationToken)
    {
        if (settings.Warmup > 0)
        {
            await RunClosedAsync(settings.Warmup, null, record: false, cancellationToken).ConfigureAwait(false);
        }

        StartTimestamp = time.GetTimestamp();
        Interlocked.Exchange(ref _lastEnd, StartTimestamp);
        Measuring?.Invoke();
        if (!cancellationToken.IsCancellationRequested)
        {
            if (settings.Mode == LoadMode.Closed)
            {
                await RunClosedAsync(settings.Requests, settings.Duration, record: true, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await RunOpenAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return new LoadResult
        {
            LatenciesByStatus = _latencies,
            Elapsed = time.GetElapsedTime(StartTimestamp, Interlocked.Read(ref _lastEnd)),
            Dropped = Dropped,
            Interrupted = cancellationToken.IsCancellationRequested,
        };
    }

    private async Task RunClosedAsync(long? limit, TimeSpan? duration, bool record, CancellationToken cancellationToken)
    {
        using var stopStarting = duration is { } d
            ? new CancellationTokenSource(d, time)
            : new CancellationTokenSource();
        long tickets = 0;
        var workers = new Task[settings.Concurrency];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(
                async () =>
                {
                    while (!stopStarting.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                        && (limit is null || Interlocked.Increment(ref tickets) <= limit))
                    {
                        await SendOneAsync(record, cancellationToken).ConfigureAwait(false);
                    }
                },
                CancellationToken.None);
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private async Task RunOpenAsync(CancellationToken cancellationToken)
    {
        long interval = (long)(time.TimestampFrequency / settings.Rate);
        long start = StartTimestamp;
        long? end = settings.Duration is { } d ? start + (long)(d.TotalSeconds * time.TimestampFrequency) : null;

        // The generator holds one count of "in flight" itself, so the last completion cannot signal
        // "all done" before the last arrival has been generated.
        long inFlight = 1;
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Finished()
        {
            if (Interlocked.Decrement(ref inFlight) == 0)
            {
                allDone.TrySetResult();
            }
        }

        for (long k = 0; settings.Requests is null || k < settings.Requests; k++)
        {
            long due = start + (k * interval);
            if (end is { } stop && due >= stop)
            {
                break;
            }

            long wait = due - time.GetTimestamp();
            if (wait > 0)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)wait / time.TimestampFrequency), time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            // One slot is the generator's own; the rest are requests.
            if (Interlocked.Read(ref inFlight) - 1 >= settings.MaxOutstanding)
            {
                Interlocked.Increment(ref _dropped);
                continue;
            }

            Interlocked.Increment(ref inFlight);
            _ = Task.Run(
                async () =>
                {
                    try
                    {
                        await SendOneAsync(record: true, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        Finished();
                    }
                },
                CancellationToken.None);
        }

        Finished();
        await allDone.Task.ConfigureAwait(false);
    }

    private async Task SendOneAsync(bool record, CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        int status = await target.SendAsync(cancellationToken).ConfigureAwait(false);
        long ended = time.GetTimestamp();
        if (!record)
        {
            return;
        }

        double ms = time.GetElapsedTime(started, ended).TotalMilliseconds;
        lock (_gate)
        {
            if (!_latencies.TryGetValue(status, out var list))
            {
                _latencies[status] = list = [];
            }

            list.Add(ms);
            if (ended > _lastEnd)
            {
                _lastEnd = ended;
            }
        }

        Interlocked.Increment(ref _completed);
        if (status is < 200 or > 299)
        {
            Interlocked.Increment(ref _failed);
        }
    }
}
