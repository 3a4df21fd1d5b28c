namespace MedServe.Cli.Tests;

/// <summary>Runs the CLI in process and captures what it prints.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await CliApp.RunAsync(args, output, error, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Starts a long-running command (serve, demo) and returns once it listens.</summary>
    public static async Task<RunningServer> StartAsync(params string[] args)
    {
        var started = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cts = new CancellationTokenSource();
        var output = new StringWriter();
        var error = new StringWriter();
        var run = Task.Run(() => CliApp.RunAsync(args, TextWriter.Synchronized(output), TextWriter.Synchronized(error), cts.Token, uri => started.TrySetResult(uri)));
        var first = await Task.WhenAny(started.Task, run, Task.Delay(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
        if (first != started.Task)
        {
            await cts.CancelAsync();
            throw new InvalidOperationException($"the server did not start: {output}{error}");
        }

        return new RunningServer(await started.Task, run, cts, output, error);
    }
}

internal sealed class RunningServer(Uri address, Task<int> run, CancellationTokenSource cts, StringWriter output, StringWriter error) : IAsyncDisposable
{
    public Uri Address { get; } = address;

    public string Output => output.ToString();

    public string Error => error.ToString();

    public async Task<int> StopAsync()
    {
        await cts.CancelAsync();
        return await run;
    }

    public async ValueTask DisposeAsync()
    {
        if (!run.IsCompleted)
        {
            await StopAsync();
        }

        cts.Dispose();
    }
}
