using System.CommandLine;
using MedServe.Models.Demo;

namespace MedServe.Cli.Commands;

/// <summary><c>medserve demo [--port P] [--packages-only DIR]</c>: serve (or just write) the synthetic demo packages.</summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var packagesOnly = new Option<string?>("--packages-only") { Description = "Write the demo packages into DIR and exit, without serving." };
        var computeHeavy = new Option<bool>("--compute-heavy") { Description = $"Also write (and serve) '{DemoPackages.ComputeHeavyName}': MedImageInsight with a ~98 MFLOP-per-image image encoder, for benchmarks." };
        var options = new ServerOptionSet();
        var command = new Command("demo", "Start the server with synthetic demo packages (one per model kind).") { packagesOnly, computeHeavy };
        options.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            string? target = parse.GetValue(packagesOnly);
            if (target is not null)
            {
                var written = Write(target, parse.GetValue(computeHeavy));
                foreach (string directory in written)
                {
                    await context.Output.WriteLineAsync($"wrote {directory}").ConfigureAwait(false);
                }

                await context.Output.WriteLineAsync($"These packages hold SYNTHETIC weights. Serve them with: ./medserve serve {string.Join(' ', written)}").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            string root = Path.Combine(Path.GetTempPath(), $"medserve-demo-{Environment.ProcessId}");
            try
            {
                await context.Output.WriteLineAsync("writing demo packages …").ConfigureAwait(false);
                var directories = Write(root, parse.GetValue(computeHeavy));
                return await ServerRunner.RunAsync(context, options.Resolve(parse, null), directories, demo: true, ct).ConfigureAwait(false);
            }
            finally
            {
                TryDelete(root);
            }
        });
        return command;
    }

    private static IReadOnlyList<string> Write(string root, bool computeHeavy) => computeHeavy
        ? [.. DemoPackages.WriteAll(root), DemoPackages.WriteComputeHeavyMedImageInsight(Path.Combine(root, DemoPackages.ComputeHeavyName))]
        : DemoPackages.WriteAll(root);

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
