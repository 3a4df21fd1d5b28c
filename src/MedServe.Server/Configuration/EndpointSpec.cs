using System.Text.Json.Serialization;

namespace MedServe.Server.Configuration;

/// <summary>An online endpoint, as its Azure YAML (and the management API's JSON) describes it.</summary>
public sealed record EndpointSpec
{
    /// <summary>The endpoint name: 3–32 characters, a letter first, then letters, digits and '-'.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; set; }

    /// <summary>How callers authenticate. <value>The default is <c>key</c>.</value></summary>
    [JsonPropertyName("auth_mode")]
    public string AuthMode { get; set; } = AuthModes.Key;

    /// <summary>Free text shown by <c>endpoint show</c>. <value>The default is null.</value></summary>
    [JsonPropertyName("description")]
    public string? Description { get; set; }

    /// <summary>Live traffic per deployment in percent; the weights add up to 100 or 0. <value>The default is empty.</value></summary>
    [JsonPropertyName("traffic")]
    public IReadOnlyDictionary<string, int> Traffic { get; set; } = new Dictionary<string, int>();

    /// <summary>Share of requests copied to a shadow deployment, in percent (at most 50). <value>The default is empty.</value></summary>
    [JsonPropertyName("mirror_traffic")]
    public IReadOnlyDictionary<string, int> MirrorTraffic { get; set; } = new Dictionary<string, int>();
}
