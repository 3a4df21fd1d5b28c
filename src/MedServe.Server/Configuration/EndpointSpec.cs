using System.Text.Json.Serialization;

namespace MedServe.Server.Configuration;

/// <summary>An online endpoint, as its Azure YAML (and the management API's JSON) describes it.</summary>
public sealed record EndpointSpec
{
    /// <summary>The endpoint name: 3–32 characters, a letter first, then letters, digits and '-'.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>How callers authenticate. <value>The default is <c>key</c>.</value></summary>
    [JsonPropertyName("auth_mode")]
    public string AuthMode { get; init; } = AuthModes.Key;

    /// <summary>Free text shown by <c>endpoint show</c>. <value>The default is null.</value></summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>Live traffic per deployment in percent; the weights add up to 100 or 0. <value>The default is empty.</value></summary>
    [JsonPropertyName("traffic")]
    public IReadOnlyDictionary<string, int> Traffic { get; init; } = new Dictionary<string, int>();

    /// <summary>Share of requests copied to a shadow deployment, in percent (at most 50). <value>The default is empty.</value></summary>
    [JsonPropertyName("mirror_traffic")]
    public IReadOnlyDictionary<string, int> MirrorTraffic { get; init; } = new Dictionary<string, int>();
}
