namespace MedServe.Models;

/// <summary>
/// Dynamic batching of a model's encoder graphs: rows from the requests an instance runs at once share
/// graph runs (see <see cref="Inference.Batching.DynamicBatcher{TKey, TInput, TOutput}"/>).
/// </summary>
public sealed record BatchingOptions
{
    /// <summary>
    /// The most rows one graph run takes, at most the package's <c>limits.max_batch_size</c> (CXRReportGen's
    /// vision graph: its own <c>max_batch_size</c> when it declares one).
    /// <value>The default is null: that limit.</value>
    /// </summary>
    public int? MaxBatchSize { get; init; }

    /// <summary>
    /// How long the first row of a batch may wait for more rows before the batch runs anyway. Zero runs a
    /// batch as soon as the graph's previous run has finished, with every row queued by then: rows still
    /// coalesce under load, and a lone request never waits.
    /// <value>The default is zero.</value>
    /// </summary>
    public TimeSpan MaxQueueDelay { get; init; } = TimeSpan.Zero;
}
