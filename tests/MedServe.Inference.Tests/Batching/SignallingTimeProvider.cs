using Microsoft.Extensions.Time.Testing;

namespace MedServe.Inference.Tests.Batching;

/// <summary>A fake clock that tells when a timer is created (the batcher starting its queue delay).</summary>
internal sealed class SignallingTimeProvider : FakeTimeProvider
{
    private readonly SemaphoreSlim _created = new(0);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Release();
        return timer;
    }

    /// <summary>Completes when the next timer not yet awaited has been created.</summary>
    public Task TimerCreatedAsync(CancellationToken cancellationToken) => _created.WaitAsync(cancellationToken);
}
