using System.Text.Json.Serialization;

namespace MedServe.Server.Management;

/// <summary>One scoring request, as the audit log keeps it. Never holds request content or a secret.</summary>
public sealed record AuditRecord
{
    /// <summary>When the request arrived (UTC).</summary>
    [JsonPropertyName("time_utc")]
    public required DateTimeOffset TimeUtc { get; init; }

    /// <summary>The request id (<c>x-request-id</c>).</summary>
    [JsonPropertyName("request_id")]
    public required string RequestId { get; init; }

    /// <summary>The endpoint name.</summary>
    [JsonPropertyName("endpoint")]
    public required string Endpoint { get; init; }

    /// <summary>The deployment that served it; empty when none was chosen.</summary>
    [JsonPropertyName("deployment")]
    public required string Deployment { get; init; }

    /// <summary>The package's model name.</summary>
    [JsonPropertyName("model_name")]
    public required string ModelName { get; init; }

    /// <summary>The package version.</summary>
    [JsonPropertyName("model_version")]
    public required string ModelVersion { get; init; }

    /// <summary>SHA-256 (hex) of the package manifest, which lists every file's SHA-256; empty for in-process models.</summary>
    [JsonPropertyName("package_sha256")]
    public required string PackageSha256 { get; init; }

    /// <summary>Who called: <c>key:primary</c>, <c>key:secondary</c>, <c>aml_token:primary</c>, <c>aad:SUBJECT</c>, or <c>anonymous</c>.</summary>
    [JsonPropertyName("caller")]
    public required string Caller { get; init; }

    /// <summary>Rows in the request (0 when it was refused before parsing).</summary>
    [JsonPropertyName("rows")]
    public required int Rows { get; init; }

    /// <summary>The HTTP status answered.</summary>
    [JsonPropertyName("status")]
    public required int Status { get; init; }

    /// <summary>Time from arrival to the answer, in milliseconds.</summary>
    [JsonPropertyName("latency_ms")]
    public required double LatencyMs { get; init; }

    /// <summary>SHA-256 (hex) of the request body; empty when no body was read.</summary>
    [JsonPropertyName("request_sha256")]
    public required string RequestSha256 { get; init; }

    /// <summary>SHA-256 (hex) of the response body.</summary>
    [JsonPropertyName("response_sha256")]
    public required string ResponseSha256 { get; init; }
}
