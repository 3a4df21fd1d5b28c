using System.Text.Json.Serialization;

namespace MedServe.Server.Configuration;

/// <summary>A <c>liveness_probe</c> or <c>readiness_probe</c>, with Azure's defaults (seconds and counts).</summary>
public sealed record ProbeSettings
{
    /// <summary>Seconds before the first probe. <value>The default is 10.</value></summary>
    [JsonPropertyName("initial_delay")]
    public int InitialDelay { get; set; } = 10;

    /// <summary>Seconds between probes. <value>The default is 10.</value></summary>
    [JsonPropertyName("period")]
    public int Period { get; set; } = 10;

    /// <summary>Seconds a probe may take. <value>The default is 2.</value></summary>
    [JsonPropertyName("timeout")]
    public int Timeout { get; set; } = 2;

    /// <summary>Successes in a row that count as healthy. <value>The default is 1.</value></summary>
    [JsonPropertyName("success_threshold")]
    public int SuccessThreshold { get; set; } = 1;

    /// <summary>Failures in a row that count as unhealthy. <value>The default is 30.</value></summary>
    [JsonPropertyName("failure_threshold")]
    public int FailureThreshold { get; set; } = 30;
}
