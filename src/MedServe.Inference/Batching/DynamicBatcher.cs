using System.Threading.Channels;

namespace MedServe.Inference.Batching;

/// <summary>
/// Coalesces rows from concurrent requests into batches, one graph run per batch, as Triton's dynamic
/// batcher does.
/// <code>
/// RunAsync(bucket, row, token) ─► the bucket's queue ─► its pump: take the queued rows (at most
/// MaxBatchSize) ─► fewer? wait up to MaxQueueDelay for more ─► drop rows whose request gave up
/// ─► one runner call ─► each row's task gets its output
///                          └─ the call threw and held rows of several requests? run each row alone
/// </code>
/// Each bucket (a graph, a tensor shape: rows that can share a tensor) has its own queue and pump, and
/// runs one batch at a time; rows queue while it runs, so under load batches fill without any delay.
/// A row whose token is cancelled while queued is removed and never runs; once its batch runs, the
/// caller still stops waiting at once, and the run's own token is cancelled when every row of the batch
/// has been given up.
/// </summary>
/// <typeparam name="TKey">The bucket of a row.</typeparam>
/// <typeparam name="TInput">One row's prepared input.</typeparam>
/// <typeparam name="TOutput">One row's output.</typeparam>
public sealed class DynamicBatcher<TKey, TInput, TOutput> : IDisposable
    where TKey : notnull
{
    private readonly Dictionary<TKey, Bucket> _buckets = [];
    private readonly Lock _lock = new();
    private readonly BatchRunner<TKey, TInput, TOutput> _runner;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private bool _disposed;

    /// <summary>Creates a batcher; its pumps start with the first row of each bucket.</summary>
    /// <param name="maxBatchSize">The most rows one runner call takes.</param>
    /// <param name="maxQueueDelay">How long the first row of a batch waits for more; zero runs what is queued as soon as the bucket's previous run ends.</param>
    /// <param name="runner">Runs one batch.</param>
    /// <param name="time">The clock of the queue delay. <value>The default is <see cref="TimeProvider.System"/>.</value></param>
    public DynamicBatcher(int maxBatchSize, TimeSpan maxQueueDelay, BatchRunner<TKey, TInput, TOutput> runner, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxQueueDelay, TimeSpan.Zero);
        MaxBatchSize = maxBatchSize;
        MaxQueueDelay = maxQueueDelay;
        _runner = runner;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The most rows one runner call takes.</summary>
    public int MaxBatchSize { get; }

    /// <summary>How long the first row of a batch waits for more.</summary>
    public TimeSpan MaxQueueDelay { get; }

    /// <summary>
    /// Queues one row and completes with its output. Cancelled when <paramref name="cancellationToken"/>
    /// is (a row still queued then never runs); faulted with the runner's exception when the row's own run
    /// fails, or with <see cref="ObjectDisposedException"/> when the batcher is disposed first.
    /// </summary>
    /// <param name="key">The row's bucket; only rows of one bucket share a batch.</param>
    /// <param name="input">The row.</param>
    /// <param name="cancellationToken">The request's deadline and abort.</param>
    public Task<TOutput> RunAsync(TKey key, TInput input, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TOutput>(cancellationToken);
        }

        var item = new Item(input);
        Bucket bucket;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_buckets.TryGetValue(key, out bucket!))
            {
                bucket = new Bucket(this, key);
                _buckets.Add(key, bucket);
            }
        }

        if (!bucket.Queue.Writer.TryWrite(item))
        {
            throw new ObjectDisposedException(GetType().FullName);
        }

        // After the write: a token cancelled meanwhile gives the row up at once (the pump skips it).
        item.Watch(cancellationToken);
        return item.Completion.Task;
    }

    /// <summary>
    /// Stops the pumps: queued rows fail with <see cref="ObjectDisposedException"/>, a running batch's
    /// token is cancelled, and the call returns when every pump has ended (so the sessions the runner
    /// uses can be disposed next).
    /// </summary>
    public void Dispose()
    {
        Task[] pumps;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            pumps = [.. _buckets.Values.Select(b => b.Pump)];
        }

        // Cancel first: a pump that drains the last rows then fails them instead of running them.
        _stopping.Cancel();
        lock (_lock)
        {
            foreach (var bucket in _buckets.Values)
            {
                bucket.Queue.Writer.TryComplete();
            }
        }

        Task.WaitAll(pumps);
        _stopping.Dispose();
    }

    /// <summary>One bucket's queue and the pump that drains it.</summary>
    private sealed class Bucket
    {
        private readonly DynamicBatcher<TKey, TInput, TOutput> _owner;
        private readonly TKey _key;

        public Bucket(DynamicBatcher<TKey, TInput, TOutput> owner, TKey key)
        {
            _owner = owner;
            _key = key;
            Pump = Task.Run(PumpAsync);
        }

        public Channel<Item> Queue { get; } = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });

        public Task Pump { get; }

        private async Task PumpAsync()
        {
            var reader = Queue.Reader;
            int max = _owner.MaxBatchSize;
            var delay = _owner.MaxQueueDelay;
            var batch = new List<Item>(max);
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                Take(reader, batch, max);
                if (batch.Count > 0 && batch.Count < max && delay > TimeSpan.Zero && !_owner._stopping.IsCancellationRequested)
                {
                    using var window = new CancellationTokenSource(delay, _owner._time);
                    using var either = CancellationTokenSource.CreateLinkedTokenSource(window.Token, _owner._stopping.Token);
                    while (batch.Count < max)
                    {
                        try
                        {
                            if (!await reader.WaitToReadAsync(either.Token).ConfigureAwait(false))
                            {
                                break;
                            }
                        }
                        catch (OperationCanceledException)
                        {
                            break;
                        }

                        Take(reader, batch, max);
                    }

                    // Rows that arrived as the delay ended came within it.
                    Take(reader, batch, max);
                }

                if (batch.Count == 0)
                {
                    continue;
                }

                if (_owner._stopping.IsCancellationRequested)
                {
                    foreach (var item in batch)
                    {
                        item.Fail(new ObjectDisposedException(_owner.GetType().FullName));
                        item.Unwatch();
                    }
                }
                else
                {
                    Execute(batch);
                }

                batch.Clear();
            }
        }

        /// <summary>Moves queued rows into the batch, up to its size, dropping rows already given up.</summary>
        private static void Take(ChannelReader<Item> reader, List<Item> batch, int max)
        {
            // A row given up during the queue delay leaves room for another.
            for (int i = batch.Count - 1; i >= 0; i--)
            {
                if (!batch[i].IsWaiting)
                {
                    batch[i].Unwatch();
                    batch.RemoveAt(i);
                }
            }

            while (batch.Count < max && reader.TryRead(out var item))
            {
                if (item.IsWaiting)
                {
                    batch.Add(item);
                }
                else
                {
                    item.Unwatch();
                }
            }
        }

        private void Execute(List<Item> taken)
        {
            var first = new Batch(taken.Count, _owner._stopping.Token);
            var batches = new List<Batch> { first };
            var claimed = new List<Item>(taken.Count);
            foreach (var item in taken)
            {
                // A row given up during the queue delay never runs.
                if (item.TryClaim(first))
                {
                    claimed.Add(item);
                }
                else
                {
                    item.Unwatch();
                }
            }

            try
            {
                if (claimed.Count == 0)
                {
                    return;
                }

                first.Release(taken.Count - claimed.Count);
                if (TryRun(claimed, first, out var error) || claimed.Count == 1 || first.Token.IsCancellationRequested)
                {
                    Fail(claimed, error);
                    return;
                }

                // The batch failed: run each row alone, so only the row (and request) at fault fails.
                foreach (var item in claimed)
                {
                    if (item.Completion.Task.IsCompleted)
                    {
                        continue;
                    }

                    var alone = new Batch(1, _owner._stopping.Token);
                    batches.Add(alone);
                    item.Rebatch(alone);
                    TryRun([item], alone, out var own);
                    Fail([item], own);
                }
            }
            finally
            {
                foreach (var item in claimed)
                {
                    item.Unwatch();
                }

                foreach (var batch in batches)
                {
                    batch.Dispose();
                }
            }
        }

        private static void Fail(List<Item> items, Exception? error)
        {
            if (error is null)
            {
                return;
            }

            foreach (var item in items)
            {
                item.Fail(error);
            }
        }

        /// <summary>One runner call; every row gets its output, or the exception comes back.</summary>
        private bool TryRun(List<Item> items, Batch batch, out Exception? error)
        {
            var inputs = new TInput[items.Count];
            for (int i = 0; i < inputs.Length; i++)
            {
                inputs[i] = items[i].Input;
            }

            try
            {
                var outputs = _owner._runner(_key, inputs, batch.Token);
                if (outputs.Count != inputs.Length)
                {
                    throw new InvalidOperationException($"the batch runner returned {outputs.Count} outputs for {inputs.Length} rows");
                }

                for (int i = 0; i < inputs.Length; i++)
                {
                    items[i].Completion.TrySetResult(outputs[i]);
                }

                error = null;
                return true;
            }
#pragma warning disable CA1031 // Whatever the runner throws belongs to the rows' requests, not to the pump.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                error = ex;
                return false;
            }
        }
    }

    /// <summary>The rows of one runner call and the token that stops it once all of them are given up.</summary>
    private sealed class Batch : IDisposable
    {
        private readonly CancellationTokenSource _cancel;
        private int _live;

        public Batch(int live, CancellationToken stopping)
        {
            _live = live;
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        }

        public CancellationToken Token => _cancel.Token;

        /// <summary>Rows taken but not claimed (given up during the queue delay) do not count.</summary>
        public void Release(int rows)
        {
            if (rows > 0 && Interlocked.Add(ref _live, -rows) == 0)
            {
                _cancel.Cancel();
            }
        }

        /// <summary>A row's request gave up; the last one cancels the run.</summary>
        public void Abandon() => Release(1);

        public void Dispose() => _cancel.Dispose();
    }

    /// <summary>One queued row: its input, its result and whether its request still waits for it.</summary>
    private sealed class Item(TInput input)
    {
        private const int Waiting = 0;
        private const int Claimed = 1;
        private const int GivenUp = 2;

        private int _state;
        private Batch? _batch;
        private CancellationToken _token;
        private CancellationTokenRegistration _registration;

        public TInput Input { get; } = input;

        public TaskCompletionSource<TOutput> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool IsWaiting => Volatile.Read(ref _state) == Waiting;

        public void Watch(CancellationToken token)
        {
            _token = token;
            _registration = token.UnsafeRegister(static state => ((Item)state!).GiveUp(), this);
        }

        /// <summary>Called once the pump is done with the row; no cancellation callback runs after it.</summary>
        public void Unwatch() => _registration.Dispose();

        public bool TryClaim(Batch batch)
        {
            Volatile.Write(ref _batch, batch);
            return Interlocked.CompareExchange(ref _state, Claimed, Waiting) == Waiting;
        }

        public void Rebatch(Batch batch) => Volatile.Write(ref _batch, batch);

        public void Fail(Exception error) => Completion.TrySetException(error);

        private void GiveUp()
        {
            if (Interlocked.CompareExchange(ref _state, GivenUp, Waiting) == Claimed)
            {
                Volatile.Read(ref _batch)?.Abandon();
            }

            Completion.TrySetCanceled(_token);
        }
    }
}
