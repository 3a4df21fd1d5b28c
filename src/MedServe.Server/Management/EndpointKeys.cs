using System.Text.Json.Serialization;

namespace MedServe.Server.Management;

/// <summary>An endpoint's two keys, in the shape <c>az ml online-endpoint get-credentials</c> prints.</summary>
public sealed record EndpointKeys
{
    /// <summary>The primary key.</summary>
    [JsonPropertyName("primaryKey")]
    public required string PrimaryKey { get; init; }

    /// <summary>The secondary key.</summary>
    [JsonPropertyName("secondaryKey")]
    public required string SecondaryKey { get; init; }
}
