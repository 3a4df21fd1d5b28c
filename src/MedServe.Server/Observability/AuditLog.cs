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
/// </summary>
internal sealed class AuditLog
{
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly StateStore _store;
    private readonly ILogger<AuditLog> _logger;
    private readonly Task _writer;

    public AuditLog(StateStore store, ILogger<AuditLog> logger)
    {
        _store = store;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Queues a record; never blocks.</summary>
    public void Write(AuditRecord record) => _queue.Writer.TryWrite(record);

    /// <summary>Completes once every record queued before the call is in the database.</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(done))
        {
            return _writer;
        }

        return done.Task;
    }

    /// <summary>Stops taking records and waits until every queued one is written.</summary>
    public bool Drain(TimeSpan limit)
    {
        _queue.Writer.TryComplete();
        return _writer.Wait(limit);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<AuditRecord>();
        var waiters = new List<TaskCompletionSource>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < 512 && _queue.Reader.TryRead(out var item))
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
        }
    }
}
