namespace MedServe.Cli.Bench;

/// <summary>How one request ended: an HTTP status, or one of the negative codes for no answer.</summary>
internal static class Outcome
{
    /// <summary>The connection failed or broke before a status arrived.</summary>
    public const int TransportError = -1;

    /// <summary>No complete answer within the request timeout.</summary>
    public const int Timeout = -2;

    /// <summary>Stopped by Ctrl+C while in flight.</summary>
    public const int Cancelled = -3;
}
