namespace MedServe.Cli.Commands;

/// <summary>Reads the request body file of <c>invoke</c> and <c>bench</c>, reporting a failure the same way for both.</summary>
internal static class RequestFile
{
    /// <summary>The file's bytes, or null after printing <c>error: cannot read request file …</c> (a usage error, exit 2).</summary>
    public static async Task<byte[]?> ReadAsync(CliContext context, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"error: cannot read request file '{path}': {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }
}
