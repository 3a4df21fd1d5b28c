namespace MedServe.Cli.Bench;

/// <summary>What the load generator calls: one request, answered with a status or an <see cref="Outcome"/> code.</summary>
internal interface IBenchTarget : IDisposable
{
    /// <summary>A short description for the report: the URL or the package folder.</summary>
    string Description { get; }

    /// <summary>Sends the request once and waits for the whole answer; never throws for a failed request.</summary>
    Task<int> SendAsync(CancellationToken cancellationToken);
}
