using System.Text.Json.Serialization;
using MedServe.Server.Configuration;

namespace MedServe.Server.Management;

/// <summary>What <c>deployment show</c> and <c>deployment list</c> print: the spec plus its state.</summary>
public sealed record DeploymentView
{
    /// <summary>The deployment as configured.</summary>
    [JsonPropertyName("spec")]
    public required DeploymentSpec Spec { get; init; }

    /// <summary><c>Creating</c> (loading), <c>Succeeded</c> (serving) or <c>Failed</c>.</summary>
    [JsonPropertyName("provisioning_state")]
    public required string ProvisioningState { get; init; }

    /// <summary>Why loading failed; null unless failed.</summary>
    [JsonPropertyName("failure_reason")]
    public string? FailureReason { get; init; }

    /// <summary>True once loaded and warmed up (the readiness probe).</summary>
    [JsonPropertyName("ready")]
    public required bool Ready { get; init; }

    /// <summary>The package's model name, once loaded.</summary>
    [JsonPropertyName("model_name")]
    public string? ModelName { get; init; }

    /// <summary>The package version, once loaded.</summary>
    [JsonPropertyName("model_version")]
    public string? ModelVersion { get; init; }

    /// <summary>The model task, once loaded.</summary>
    [JsonPropertyName("task")]
    public string? Task { get; init; }

    /// <summary>SHA-256 of the package manifest, once loaded.</summary>
    [JsonPropertyName("package_sha256")]
    public string? PackageSha256 { get; init; }

    /// <summary>Requests in flight now.</summary>
    [JsonPropertyName("in_flight")]
    public required int InFlight { get; init; }

    /// <summary>In-flight requests above this are answered 429: 2 × max_concurrent_requests_per_instance × instance_count.</summary>
    [JsonPropertyName("in_flight_limit")]
    public required int InFlightLimit { get; init; }
}
