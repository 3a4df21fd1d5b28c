using System.Text.Json.Serialization;
using MedServe.Models;

namespace MedServe.Server.Configuration;

/// <summary>
/// MedServe's own <c>batching</c> block of a deployment: dynamic batching of the encoder graphs, per
/// model instance.
/// </summary>
public sealed record BatchingSettings
{
    /// <summary>The most rows of one graph run that the deployment's max_batch_size may ask for.</summary>
    public const int MaxBatchSizeLimit = 1024;

    /// <summary>The longest accepted queue delay (milliseconds).</summary>
    public const int MaxQueueDelayLimitMs = 1000;

    /// <summary>
    /// Rows of the requests an instance runs at once share graph runs; false runs every request's rows on
    /// their own. <value>The default is true.</value>
    /// </summary>
    [JsonPropertyName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The most rows one graph run takes, 1–1024, capped at the package's <c>limits.max_batch_size</c>.
    /// <value>The default is null: the package's <c>limits.max_batch_size</c>.</value>
    /// </summary>
    [JsonPropertyName("max_batch_size")]
    public int? MaxBatchSize { get; set; }

    /// <summary>
    /// How long the first row of a batch waits for more rows, 0–1000 ms; 0 runs whatever is queued as soon
    /// as the graph is free. <value>The default is 0.</value>
    /// </summary>
    [JsonPropertyName("max_queue_delay_ms")]
    public int MaxQueueDelayMs { get; set; }

    /// <summary>The model's batching options; null when batching is off.</summary>
    public BatchingOptions? ToOptions() => Enabled
        ? new BatchingOptions { MaxBatchSize = MaxBatchSize, MaxQueueDelay = TimeSpan.FromMilliseconds(MaxQueueDelayMs) }
        : null;
}
