using System.Globalization;

namespace MedServe.Cli.Bench;

/// <summary>
/// Runs a load, shows a progress line every second while it runs, then prints (and optionally writes) the figures.
/// Ctrl+C stops the load and still prints what was measured.
/// </summary>
internal static class BenchRun
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(CliContext context, IBenchTarget target, LoadSettings settings, int rowsPerRequest,
        string? jsonOut, TimeProvider time, CancellationToken cancellationToken)
    {
        var generator = new LoadGenerator(target, settings, time);
        using var stopProgress = new CancellationTokenSource();
        bool refresh = ReferenceEquals(context.Error, Console.Error) && !Console.IsErrorRedirected;
        if (settings.Warmup > 0)
        {
            await context.Error.WriteLineAsync($"warming up: {settings.Warmup} requests …").ConfigureAwait(false);
        }

        var progress = Task.CompletedTask;
        generator.Measuring += () => progress = ShowProgressAsync(context.Error, generator, time, refresh, stopProgress.Token);
        LoadResult result = await generator.RunAsync(cancellationToken).ConfigureAwait(false);
        await stopProgress.CancelAsync().ConfigureAwait(false);
        await progress.ConfigureAwait(false);
        if (result.Interrupted)
        {
            await context.Error.WriteLineAsync("interrupted: the figures cover what finished until then").ConfigureAwait(false);
        }

        var report = BenchReport.From(result, settings, target.Description, rowsPerRequest);
        await context.Output.WriteAsync(BenchReportWriter.ToText(report)).ConfigureAwait(false);
        if (jsonOut is not null)
        {
            try
            {
                await File.WriteAllBytesAsync(jsonOut, BenchReportWriter.ToJson(report), CancellationToken.None).ConfigureAwait(false);
                await context.Output.WriteLineAsync($"wrote {jsonOut}").ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await context.Error.WriteLineAsync($"error: cannot write '{jsonOut}': {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        }

        if (report.Succeeded == 0)
        {
            await context.Error.WriteLineAsync("error: no request was answered 2xx").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        return ExitCodes.Success;
    }

    private static async Task ShowProgressAsync(TextWriter error, LoadGenerator generator, TimeProvider time, bool refresh, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(ProgressInterval, time);
        bool wrote = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                double elapsed = time.GetElapsedTime(generator.StartTimestamp).TotalSeconds;
                long done = generator.Completed;
                string line = string.Create(CultureInfo.InvariantCulture,
                    $"progress: {elapsed:0.0} s, {done} finished ({done / Math.Max(elapsed, 1e-9):0.0} req/s), {generator.Failed} not ok, {generator.Dropped} dropped");
                if (refresh)
                {
                    await error.WriteAsync("\r" + line + "   ").ConfigureAwait(false);
                }
                else
                {
                    await error.WriteLineAsync(line).ConfigureAwait(false);
                }

                wrote = true;
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }

        if (refresh && wrote)
        {
            await error.WriteLineAsync().ConfigureAwait(false);
        }
    }
}
