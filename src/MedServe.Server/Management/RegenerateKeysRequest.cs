using System.Text.Json.Serialization;

namespace MedServe.Server.Management;

/// <summary>The body of <c>POST /management/endpoints/{name}/regenerate-keys</c>.</summary>
public sealed record RegenerateKeysRequest
{
    /// <summary><c>primary</c> or <c>secondary</c>: the one key to replace.</summary>
    [JsonPropertyName("key_type")]
    public required string KeyType { get; init; }
}
