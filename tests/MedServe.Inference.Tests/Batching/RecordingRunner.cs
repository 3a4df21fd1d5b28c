using MedServe.Inference.Batching;

namespace MedServe.Inference.Tests.Batching;

/// <summary>
/// A batch runner that records every call (bucket, rows, clock time), upper-cases each row, throws for a
/// row "bad", and can hold its first call at a gate until released or until the call's token is cancelled.
/// </summary>
internal sealed class RecordingRunner(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly List<(string Key, string[] Rows, DateTimeOffset At)> _calls = [];
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _left = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim _gate = new(true);
    private int _held;

    public const string BadRow = "bad";

    /// <summary>The first call waits until <see cref="Release"/> (or its token is cancelled).</summary>
    public void HoldFirst()
    {
        _gate.Reset();
        _held = 1;
    }

    public void Release() => _gate.Set();

    /// <summary>Completes when the held call has started.</summary>
    public Task Entered => _entered.Task;

    /// <summary>Completes when the held call has ended; true when its token was cancelled.</summary>
    public Task Left => _left.Task;

    public bool HeldTokenCancelled { get; private set; }

    public IReadOnlyList<(string Key, string[] Rows, DateTimeOffset At)> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public IReadOnlyList<string> Run(string key, IReadOnlyList<string> rows, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _calls.Add((key, [.. rows], time.GetUtcNow()));
        }

        if (Interlocked.Exchange(ref _held, 0) == 1)
        {
            _entered.TrySetResult();
            try
            {
                _gate.Wait(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                HeldTokenCancelled = true;
                throw;
            }
            finally
            {
                _left.TrySetResult();
            }
        }

        if (rows.Contains(BadRow))
        {
            throw new InvalidDataException("the graph refused the batch");
        }

        return [.. rows.Select(r => r.ToUpperInvariant())];
    }

    public DynamicBatcher<string, string, string> Batcher(int maxBatchSize, TimeSpan maxQueueDelay) =>
        new(maxBatchSize, maxQueueDelay, Run, time);
}
