using System.Text.Json.Serialization;

namespace MedServe.Server.Management;

/// <summary>An aml token, in the shape the hosted service answers (times in Unix seconds, UTC).</summary>
public sealed record AccessToken
{
    /// <summary>The token, sent as <c>Authorization: Bearer TOKEN</c>.</summary>
    [JsonPropertyName("accessToken")]
    public required string Token { get; init; }

    /// <summary>Always <c>Bearer</c>.</summary>
    [JsonPropertyName("tokenType")]
    public string TokenType { get; init; } = "Bearer";

    /// <summary>When the token stops being accepted.</summary>
    [JsonPropertyName("expiryTimeUtc")]
    public required long ExpiryTimeUtc { get; init; }

    /// <summary>When a client should fetch a new one.</summary>
    [JsonPropertyName("refreshAfterTimeUtc")]
    public required long RefreshAfterTimeUtc { get; init; }
}
