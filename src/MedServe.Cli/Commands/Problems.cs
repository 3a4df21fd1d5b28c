using MedServe.Server.Configuration;

namespace MedServe.Cli.Commands;

/// <summary>Prints a refused configuration file's problems.</summary>
internal static class Problems
{
    public static async Task WriteAsync(CliContext context, ConfigurationException exception)
    {
        await context.Error.WriteLineAsync($"error: {exception.File} was refused:").ConfigureAwait(false);
        foreach (string problem in exception.Problems)
        {
            await context.Error.WriteLineAsync("  - " + problem).ConfigureAwait(false);
        }
    }
}
