using System.Text.Json.Serialization;

namespace MedServe.Server.Configuration;

/// <summary>A deployment's <c>request_settings</c>, with the hosted defaults.</summary>
public sealed record RequestSettings
{
    /// <summary>A request running longer is answered 408 and its work cancelled. <value>The default is 5000 (at most 180000).</value></summary>
    [JsonPropertyName("request_timeout_ms")]
    public int RequestTimeoutMs { get; set; } = 5000;

    /// <summary>Requests one instance runs at once; twice this times the instance count may be in flight. <value>The default is 1.</value></summary>
    [JsonPropertyName("max_concurrent_requests_per_instance")]
    public int MaxConcurrentRequestsPerInstance { get; set; } = 1;

    /// <summary>Accepted for compatibility (deprecated by Azure); the wait counts against the request timeout. <value>The default is 500.</value></summary>
    [JsonPropertyName("max_queue_wait_ms")]
    public int MaxQueueWaitMs { get; set; } = 500;
}
