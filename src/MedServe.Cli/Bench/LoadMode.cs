namespace MedServe.Cli.Bench;

/// <summary>The two ways of generating load.</summary>
internal enum LoadMode
{
    /// <summary>N workers, each sending its next request when the previous one is answered.</summary>
    Closed,

    /// <summary>Requests start at a fixed rate whatever the answers (arrivals do not wait for completions).</summary>
    Open,
}
