using System.Text;
using MedServe.Models.Scoring;
using MedServe.Server.Deployments;

namespace MedServe.Server.Tests.Deployments;

/// <summary>
/// A model whose answer names it (<c>[{"served_by": TAG}]</c> per row) and that can be held at a gate,
/// so tests see which deployment answered, how many run at once, and whether work was cancelled.
/// The warm-up request passes the gate.
/// </summary>
internal sealed class FakeModel(string tag) : IScoringModel
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _release = Released();
    private int _calls;
    private int _running;
    private int _maxRunning;

    public ModelDescriptor Descriptor { get; } = new()
    {
        Name = "fake-" + tag,
        Task = "medimageinsight",
        Version = "7.1",
        Columns = [new ColumnDescriptor("text", false, "text")],
        MaxRows = 16,
        ResponseRowSchemaJson = "{\"type\": \"object\"}",
    };

    public string Tag { get; } = tag;

    /// <summary>Scoring calls, warm-up excluded.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public int Cancelled { get; private set; }

    public bool Disposed { get; private set; }

    /// <summary>Signalled each time a scoring call starts (warm-up excluded).</summary>
    public SemaphoreSlim Entered { get; } = new(0);

    /// <summary>Holds every scoring call until <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            _release.TrySetResult();
        }
    }

    public async Task<ScoringResult> ScoreAsync(ScoringFrame frame, CancellationToken cancellationToken)
    {
        if (frame.Cell(0, "text").GetString() == WarmUp.Text)
        {
            return ScoringResult.Ok(Encoding.UTF8.GetBytes("[]"), TimeSpan.Zero);
        }

        Interlocked.Increment(ref _calls);
        int running = Interlocked.Increment(ref _running);
        int seen;
        while (running > (seen = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, running, seen) != seen)
        {
        }

        Entered.Release();
        try
        {
            Task gate;
            lock (_gate)
            {
                gate = _release.Task;
            }

            await gate.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Cancelled++;
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }

        var rows = string.Join(",", Enumerable.Repeat($"{{\"served_by\":\"{Tag}\"}}", frame.RowCount));
        return ScoringResult.Ok(Encoding.UTF8.GetBytes("[" + rows + "]"), TimeSpan.FromMilliseconds(1));
    }

    public void Dispose() => Disposed = true;

    private static TaskCompletionSource Released()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }
}
