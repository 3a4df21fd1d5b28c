namespace MedServe.Inference.Tests.Batching;

/// <summary>
/// The dynamic batcher on a fake clock: coalescing, batch size, queue delay, deadlines and cancellation
/// while queued and while running, failure isolation, buckets and disposal.
/// </summary>
public sealed class DynamicBatcherTests
{
    private const string Key = "text_encoder";
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Long = TimeSpan.FromHours(1);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_SecondRowWithinTheDelay_RunsInOneCallWhenTheDelayEnds()
    {
        var time = new SignallingTimeProvider();
        var start = time.GetUtcNow();
        var runner = new RecordingRunner(time);
        using var batcher = runner.Batcher(4, Delay);

        var first = batcher.RunAsync(Key, "a", Token);
        await time.TimerCreatedAsync(Token);
        time.Advance(Delay - TimeSpan.FromMilliseconds(1));
        var second = batcher.RunAsync(Key, "b", Token);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(["A", "B"], await Task.WhenAll(first, second));
        var call = Assert.Single(runner.Calls);
        Assert.Equal(["a", "b"], call.Rows);
        Assert.Equal(start + Delay, call.At);
    }

    [Fact]
    public async Task RunAsync_LoneRow_RunsOnlyWhenTheDelayEnds()
    {
        var time = new SignallingTimeProvider();
        var start = time.GetUtcNow();
        var runner = new RecordingRunner(time);
        using var batcher = runner.Batcher(4, Delay);

        var only = batcher.RunAsync(Key, "a", Token);
        await time.TimerCreatedAsync(Token);
        time.Advance(Delay - TimeSpan.FromMilliseconds(1));
        Assert.False(only.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal("A", await only);
        var call = Assert.Single(runner.Calls);
        Assert.Equal(["a"], call.Rows);
        Assert.Equal(start + Delay, call.At);
    }

    [Fact]
    public async Task RunAsync_BatchFills_RunsAtOnceAndTheRestWaitsForTheNext()
    {
        var time = new SignallingTimeProvider();
        var start = time.GetUtcNow();
        var runner = new RecordingRunner(time);
        using var batcher = runner.Batcher(2, Long);

        var a = batcher.RunAsync(Key, "a", Token);
        var b = batcher.RunAsync(Key, "b", Token);
        var c = batcher.RunAsync(Key, "c", Token);

        // No time passes: a full batch does not wait for the delay.
        Assert.Equal(["A", "B"], await Task.WhenAll(a, b));
        var first = Assert.Single(runner.Calls);
        Assert.Equal(["a", "b"], first.Rows);
        Assert.Equal(start, first.At);

        await time.TimerCreatedAsync(Token);
        Assert.False(c.IsCompleted);
        time.Advance(Long);
        Assert.Equal("C", await c);
        Assert.Equal(["c"], runner.Calls[1].Rows);
        Assert.Equal(2, runner.Calls.Count);
    }

    [Fact]
    public async Task RunAsync_ZeroDelay_RowsQueuedDuringARunShareTheNextCall()
    {
        var time = new SignallingTimeProvider();
        var runner = new RecordingRunner(time);
        runner.HoldFirst();
        using var batcher = runner.Batcher(8, TimeSpan.Zero);

        var a = batcher.RunAsync(Key, "a", Token);
        await runner.Entered.WaitAsync(Token);
        var b = batcher.RunAsync(Key, "b", Token);
        var c = batcher.RunAsync(Key, "c", Token);
        runner.Release();

        Assert.Equal(["A", "B", "C"], await Task.WhenAll(a, b, c));
        Assert.Equal([["a"], ["b", "c"]], runner.Calls.Select(call => call.Rows));
    }

    [Fact]
    public async Task RunAsync_DeadlinePassesWhileQueued_CancelledAndNeverRuns()
    {
        var time = new SignallingTimeProvider();
        var runner = new RecordingRunner(time);
        runner.HoldFirst();
        using var batcher = runner.Batcher(8, TimeSpan.Zero);

        var a = batcher.RunAsync(Key, "a", Token);
        await runner.Entered.WaitAsync(Token);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(5), time);
        var late = batcher.RunAsync(Key, "late", deadline.Token);
        var c = batcher.RunAsync(Key, "c", Token);
        time.Advance(TimeSpan.FromMilliseconds(5));

        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => late);
        Assert.Equal(deadline.Token, cancelled.CancellationToken);
        runner.Release();
        Assert.Equal(["A", "C"], await Task.WhenAll(a, c));
        Assert.Equal([["a"], ["c"]], runner.Calls.Select(call => call.Rows));
    }

    [Fact]
    public async Task RunAsync_CancelledDuringTheQueueDelay_NeverRuns()
    {
        var time = new SignallingTimeProvider();
        var runner = new RecordingRunner(time);
        using var batcher = runner.Batcher(8, Delay);
        using var abort = new CancellationTokenSource();

        var gone = batcher.RunAsync(Key, "gone", abort.Token);
        await time.TimerCreatedAsync(Token);
        var kept = batcher.RunAsync(Key, "kept", Token);
        abort.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone);
        time.Advance(Delay);

        Assert.Equal("KEPT", await kept);
        var call = Assert.Single(runner.Calls);
        Assert.Equal(["kept"], call.Rows);
    }

    [Fact]
    public async Task RunAsync_RowGivenUpDuringTheDelay_LeavesItsPlaceToAnother()
    {
        var time = new SignallingTimeProvider();
        var start = time.GetUtcNow();
        var runner = new RecordingRunner(time);
        using var batcher = runner.Batcher(2, Long);
        using var abort = new CancellationTokenSource();

        var gone = batcher.RunAsync(Key, "gone", abort.Token);
        await time.TimerCreatedAsync(Token);
        abort.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone);
        var b = batcher.RunAsync(Key, "b", Token);
        var c = batcher.RunAsync(Key, "c", Token);

        // Two live rows fill the batch: it runs without the delay.
        Assert.Equal(["B", "C"], await Task.WhenAll(b, c));
        var call = Assert.Single(runner.Calls);
        Assert.Equal(["b", "c"], call.Rows);
        Assert.Equal(start, call.At);
    }

    [Fact]
    public async Task RunAsync_AlreadyCancelled_NeverQueued()
    {
        var time = new SignallingTimeProvider();
        var runner = new RecordingRunner(time);
        using var batcher = runner.Batcher(1, TimeSpan.Zero);

        var gone = batcher.RunAsync(Key, "gone", new CancellationToken(canceled: true));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone);
        Assert.Equal("NEXT", await batcher.RunAsync(Key, "next", Token));
        Assert.Equal([["next"]], runner.Calls.Select(call => call.Rows));
    }

    [Fact]
    public async Task RunAsync_OneRequestGivesUpWhileItsBatchRuns_ItStopsWaitingAndTheRunGoesOn()
    {
        var time = new SignallingTimeProvider();
        var runner = new RecordingRunner(time);
        runner.HoldFirst();
        using var batcher = runner.Batcher(2, Long);
        using var abort = new CancellationTokenSource();

        var gone = batcher.RunAsync(Key, "gone", abort.Token);
        var kept = batcher.RunAsync(Key, "kept", Token);
        await runner.Entered.WaitAsync(Token);
        abort.Cancel();

        // The caller is answered while the run is still held.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone);
        Assert.False(runner.Left.IsCompleted);
        runner.Release();
        Assert.Equal("KEPT", await kept);
        Assert.False(runner.HeldTokenCancelled);
        Assert.Equal([["gone", "kept"]], runner.Calls.Select(call => call.Rows));
    }

    [Fact]
    public async Task RunAsync_EveryRequestOfARunningBatchGivesUp_TheRunIsCancelled()
    {
        var time = new SignallingTimeProvider();
        var runner = new RecordingRunner(time);
        runner.HoldFirst();
        using var batcher = runner.Batcher(2, Long);
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();

        var a = batcher.RunAsync(Key, "a", first.Token);
        var b = batcher.RunAsync(Key, "b", second.Token);
        await runner.Entered.WaitAsync(Token);
        first.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a);
        Assert.False(runner.Left.IsCompleted);
        second.Cancel();

        await runner.Left.WaitAsync(Token);
        Assert.True(runner.HeldTokenCancelled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b);
        Assert.Single(runner.Calls);
    }

    [Fact]
    public async Task RunAsync_BatchWithABadRowFails_EachRowRunsAloneAndOnlyTheBadOneFails()
    {
        var time = new SignallingTimeProvider();
        var runner = new RecordingRunner(time);
        using var batcher = runner.Batcher(3, Long);

        var before = batcher.RunAsync(Key, "before", Token);
        var bad = batcher.RunAsync(Key, RecordingRunner.BadRow, Token);
        var after = batcher.RunAsync(Key, "after", Token);

        Assert.Equal("BEFORE", await before);
        Assert.Equal("AFTER", await after);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => bad);
        Assert.Equal("the graph refused the batch", error.Message);
        Assert.Equal([["before", "bad", "after"], ["before"], ["bad"], ["after"]], runner.Calls.Select(call => call.Rows));
    }

    [Fact]
    public async Task RunAsync_LoneRowFails_FailsOnceWithoutARetry()
    {
        var time = new SignallingTimeProvider();
        var runner = new RecordingRunner(time);
        using var batcher = runner.Batcher(1, TimeSpan.Zero);

        await Assert.ThrowsAsync<InvalidDataException>(() => batcher.RunAsync(Key, RecordingRunner.BadRow, Token));
        Assert.Equal([["bad"]], runner.Calls.Select(call => call.Rows));
    }

    [Fact]
    public async Task RunAsync_RowsOfDifferentBuckets_NeverShareACall()
    {
        var time = new SignallingTimeProvider();
        var runner = new RecordingRunner(time);
        using var batcher = runner.Batcher(2, Long);

        var rows = new[] { ("image", "i1"), ("text", "t1"), ("image", "i2"), ("text", "t2") }
            .Select(r => batcher.RunAsync(r.Item1, r.Item2, Token)).ToArray();

        Assert.Equal(["I1", "T1", "I2", "T2"], await Task.WhenAll(rows));
        var calls = runner.Calls.OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal("image", calls[0].Key);
        Assert.Equal(["i1", "i2"], calls[0].Rows);
        Assert.Equal("text", calls[1].Key);
        Assert.Equal(["t1", "t2"], calls[1].Rows);
    }

    [Fact]
    public async Task Dispose_RowsQueued_FailWithObjectDisposedAndTheRunIsCancelled()
    {
        var time = new SignallingTimeProvider();
        var runner = new RecordingRunner(time);
        runner.HoldFirst();
        var batcher = runner.Batcher(1, TimeSpan.Zero);

        var running = batcher.RunAsync(Key, "running", Token);
        await runner.Entered.WaitAsync(Token);
        var queued = batcher.RunAsync(Key, "queued", Token);
        batcher.Dispose();

        Assert.True(runner.HeldTokenCancelled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => queued);
        Assert.Throws<ObjectDisposedException>(() => { _ = batcher.RunAsync(Key, "late", Token); });
        Assert.Single(runner.Calls);
    }
}
