using System.CommandLine;
using MedServe.Cli.Commands;

namespace MedServe.Cli;

/// <summary>The <c>medserve</c> command line: builds the command tree and runs it.</summary>
internal static class CliApp
{
    public static RootCommand CreateRoot(CliContext context)
    {
        var root = new RootCommand("MedServe: self-hosted server and tools for medical imaging foundation models.")
        {
            ServeCommand.Create(context),
            DemoCommand.Create(context),
            InvokeCommand.Create(context),
            TokenizeCommand.Create(context),
            PreprocessCommand.Create(context),
            ModelsCommand.Create(context),
            DicomInfoCommand.Create(context),
            RenderCommand.Create(context),
            EndpointCommand.Create(context),
            DeploymentCommand.Create(context),
            AuditCommand.Create(context),
            BenchCommand.Create(context),
        };
        return root;
    }

    /// <summary>Runs the CLI with the given streams; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error,
        CancellationToken cancellationToken = default, Action<Uri>? onServerStarted = null)
    {
        var context = new CliContext(output, error, onServerStarted);
        var root = CreateRoot(context);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync("error: " + parseError.Message).ConfigureAwait(false);
            }

            await error.WriteLineAsync("Run 'medserve --help' (or 'medserve COMMAND --help') for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>What every command writes to, and a hook tests use to learn a started server's address.</summary>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="OnServerStarted">Called with the base address once a server listens.</param>
internal sealed record CliContext(TextWriter Output, TextWriter Error, Action<Uri>? OnServerStarted);

/// <summary>Exit codes of the CLI.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}
