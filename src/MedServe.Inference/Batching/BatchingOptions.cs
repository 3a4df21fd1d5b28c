namespace MedServe.Inference.Batching;

/// <summary>How a <see cref="DynamicBatcher{TKey, TInput, TOutput}"/> forms its batches.</summary>
public sealed record BatchingOptions
{
    /// <summary>
    /// The most rows one graph run takes. <value>The default is 8.</value>
    /// </summary>
    public int MaxBatchSize { get; init; } = 8;

    /// <summary>
    /// How long the first row of a batch may wait for more rows before the batch runs anyway. Zero runs a
    /// batch as soon as the bucket's previous run has finished, with every row queued by then (rows still
    /// coalesce under load, and a lone request never waits).
    /// <value>The default is zero.</value>
    /// </summary>
    public TimeSpan MaxQueueDelay { get; init; } = TimeSpan.Zero;
}
