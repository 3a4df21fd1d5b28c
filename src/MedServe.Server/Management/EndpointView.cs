using System.Text.Json.Serialization;

namespace MedServe.Server.Management;

/// <summary>What <c>endpoint show</c> and <c>endpoint list</c> print: the spec plus where and how it serves.</summary>
public sealed record EndpointView
{
    /// <summary>The endpoint name.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary><c>key</c>, <c>aml_token</c> or <c>aad_token</c>.</summary>
    [JsonPropertyName("auth_mode")]
    public required string AuthMode { get; init; }

    /// <summary>The description, if any.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>Live traffic per deployment (percent).</summary>
    [JsonPropertyName("traffic")]
    public required IReadOnlyDictionary<string, int> Traffic { get; init; }

    /// <summary>Mirrored traffic per deployment (percent).</summary>
    [JsonPropertyName("mirror_traffic")]
    public required IReadOnlyDictionary<string, int> MirrorTraffic { get; init; }

    /// <summary>The scoring path on this server.</summary>
    [JsonPropertyName("scoring_uri")]
    public required string ScoringUri { get; init; }

    /// <summary>The OpenAPI path on this server.</summary>
    [JsonPropertyName("openapi_uri")]
    public required string OpenApiUri { get; init; }

    /// <summary>True for the endpoint also served at <c>/score</c>.</summary>
    [JsonPropertyName("is_default")]
    public required bool IsDefault { get; init; }

    /// <summary>Always <c>Succeeded</c> once stored (deployments carry their own state).</summary>
    [JsonPropertyName("provisioning_state")]
    public string ProvisioningState { get; init; } = "Succeeded";

    /// <summary>The endpoint's deployments, by name.</summary>
    [JsonPropertyName("deployments")]
    public required IReadOnlyList<string> Deployments { get; init; }

    /// <summary>The keys; only in the answer to <c>create</c> (shown once).</summary>
    [JsonPropertyName("keys")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EndpointKeys? Keys { get; init; }
}
