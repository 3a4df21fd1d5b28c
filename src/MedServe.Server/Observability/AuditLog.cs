using System.Threading.Channels;
using MedServe.Server.Management;
using MedServe.Server.State;
using Microsoft.Extensions.Logging;

namespace MedServe.Server.Observability;

/// <summary>
/// Writes audit records without blocking scoring: requests enqueue (an unbounded channel, never a
/// wait), one background loop writes batches to the state database. Stopping the host drains the
/// queue first (<see cref="Drain"/>, called once the server has stopped taking requests), so a clean
/// shutdown loses nothing.
/// <code>
/// ScoringHandler ─► Write (TryWrite) ─► channel ─► writer loop ─► StateStore.AppendAudit (one transaction per batch)
/// </code>
/// After a write the loop waits <see cref="BatchWindow"/> before taking the next batch, so under load a
/// transaction holds hundreds of records instead of one or two (a transaction per request was 5–7 % of
/// the server's CPU at a few thousand small requests per second). A flush or a drain skips the wait.
/// </summary>
internal sealed class AuditLog
{
    private const int MaxBatch = 512;

    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly StateStore _store;
    private readonly ILogger<AuditLog> _logger;
    private readonly Task _writer;

    // Released by a flush or a drain to cut the gathering wait short.
    private readonly SemaphoreSlim _wake = new(0);
    private volatile bool _draining;

    public AuditLog(StateStore store, ILogger<AuditLog> logger)
    {
        _store = store;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Queues a record; never blocks.</summary>
    public void Write(AuditRecord record) => _queue.Writer.TryWrite(record);

    /// <summary>How long the writer lets records gather after a write; records reach the database at most this much later.</summary>
    internal static TimeSpan BatchWindow { get; } = TimeSpan.FromMilliseconds(25);

    /// <summary>Completes once every record queued before the call is in the database.</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(done))
        {
            return _writer;
        }

        _wake.Release();
        return done.Task;
    }

    /// <summary>Stops taking records and waits until every queued one is written.</summary>
    public bool Drain(TimeSpan limit)
    {
        _draining = true;
        _queue.Writer.TryComplete();
        _wake.Release();
        return _writer.Wait(limit);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<AuditRecord>();
        var waiters = new List<TaskCompletionSource>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                if (item is AuditRecord record)
                {
                    batch.Add(record);
                }
                else
                {
                    waiters.Add((TaskCompletionSource)item);
                }
            }

            int written = batch.Count;
            try
            {
                _store.AppendAudit(batch);
            }
#pragma warning disable CA1031 // The audit writer must outlive a failed write; the failure is logged with the count.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.AuditWriteFailed(_logger, batch.Count, ex.GetType().FullName ?? ex.GetType().Name);
            }

            batch.Clear();
            foreach (var waiter in waiters)
            {
                waiter.TrySetResult();
            }

            waiters.Clear();
            await GatherAsync(written).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits <see cref="BatchWindow"/>, or less when a flush or a drain asks for the records now; not at
    /// all while draining or when the last batch was full (more is already queued).
    /// </summary>
    private Task GatherAsync(int written) => _draining || written >= MaxBatch ? Task.CompletedTask : _wake.WaitAsync(BatchWindow);
}
