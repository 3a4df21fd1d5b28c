using MedServe.Cli.Bench;

namespace MedServe.Cli.Tests.Bench;

public sealed class LoadGeneratorTests
{
    /// <summary>Answers every request with a fixed status, optionally held at a gate; counts the calls and the peak in flight.</summary>
    private sealed class CountingTarget(int status, Task? gate = null) : IBenchTarget
    {
        private int _inFlight;
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public int PeakInFlight { get; private set; }

        public string Description => "fake";

        public async Task<int> SendAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            int now = Interlocked.Increment(ref _inFlight);
            lock (this)
            {
                PeakInFlight = Math.Max(PeakInFlight, now);
            }

            await Task.Yield();
            try
            {
                if (gate is not null)
                {
                    await gate.WaitAsync(cancellationToken);
                }

                return status;
            }
            catch (OperationCanceledException)
            {
                return Outcome.Cancelled;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task RunAsync_ClosedLoopWithRequestLimit_SendsExactlyThatManyAfterTheWarmup()
    {
        var target = new CountingTarget(200);
        var settings = new LoadSettings { Mode = LoadMode.Closed, Concurrency = 4, Requests = 37, Warmup = 5 };
        var result = await new LoadGenerator(target, settings, TimeProvider.System).RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal(42, target.Calls);
        Assert.Equal(37, Assert.Single(result.LatenciesByStatus).Value.Count);
        Assert.InRange(target.PeakInFlight, 1, 4);
        Assert.False(result.Interrupted);
    }

    [Fact]
    public async Task RunAsync_OpenLoopAtTheOutstandingBound_DropsArrivalsInsteadOfQueueing()
    {
        var gate = new TaskCompletionSource();
        var target = new CountingTarget(503, gate.Task);
        var settings = new LoadSettings { Mode = LoadMode.Open, Rate = 100_000, MaxOutstanding = 2, Requests = 7 };
        var generator = new LoadGenerator(target, settings, TimeProvider.System);
        var run = generator.RunAsync(TestContext.Current.CancellationToken);

        // Two requests are held at the gate, so the other five arrivals must be dropped.
        while (generator.Dropped < 5)
        {
            await Task.Yield();
            TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
        }

        gate.SetResult();
        var result = await run;
        Assert.Equal(2, target.Calls);
        Assert.Equal(5, result.Dropped);
        Assert.Equal(2, result.LatenciesByStatus[503].Count);
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsAndReportsWhatFinishedAsInterrupted()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var gate = new TaskCompletionSource();
        var target = new CountingTarget(200, gate.Task);
        var settings = new LoadSettings { Mode = LoadMode.Closed, Concurrency = 3, Duration = TimeSpan.FromHours(1) };
        var generator = new LoadGenerator(target, settings, TimeProvider.System);
        var run = generator.RunAsync(cts.Token);
        while (target.Calls < 3)
        {
            await Task.Yield();
        }

        await cts.CancelAsync();
        var result = await run;
        Assert.True(result.Interrupted);
        Assert.Equal(3, target.Calls);

        // The three held requests were cancelled by the token and counted so; no new one started.
        Assert.Equal(Outcome.Cancelled, Assert.Single(result.LatenciesByStatus).Key);
        Assert.Equal(3, result.LatenciesByStatus[Outcome.Cancelled].Count);
    }
}
