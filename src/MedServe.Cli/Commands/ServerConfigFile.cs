using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedServe.Cli.Commands;

/// <summary>
/// The <c>serve --config FILE</c> file (JSON). Relative package paths are relative to the file.
/// Command-line options override the file; keys may also come from MEDSERVE_PRIMARY_KEY and
/// MEDSERVE_SECONDARY_KEY.
/// </summary>
internal sealed record ServerConfigFile
{
    [JsonPropertyName("host")]
    public string? Host { get; init; }

    [JsonPropertyName("port")]
    public int? Port { get; init; }

    [JsonPropertyName("primary_key")]
    public string? PrimaryKey { get; init; }

    [JsonPropertyName("secondary_key")]
    public string? SecondaryKey { get; init; }

    [JsonPropertyName("max_request_body_bytes")]
    public long? MaxRequestBodyBytes { get; init; }

    [JsonPropertyName("max_image_pixels")]
    public long? MaxImagePixels { get; init; }

    [JsonPropertyName("max_rows_per_request")]
    public int? MaxRowsPerRequest { get; init; }

    [JsonPropertyName("dicom_workers")]
    public int? DicomWorkers { get; init; }

    [JsonPropertyName("dicom_timeout_seconds")]
    public double? DicomTimeoutSeconds { get; init; }

    [JsonPropertyName("admin_key")]
    public string? AdminKey { get; init; }

    [JsonPropertyName("state")]
    public string? State { get; init; }

    [JsonPropertyName("default_endpoint")]
    public string? DefaultEndpoint { get; init; }

    [JsonPropertyName("aad_issuer")]
    public string? AadIssuer { get; init; }

    [JsonPropertyName("aad_audience")]
    public string? AadAudience { get; init; }

    [JsonPropertyName("aad_signing_keys")]
    public string? AadSigningKeys { get; init; }

    [JsonPropertyName("aml_token_minutes")]
    public int? AmlTokenMinutes { get; init; }

    [JsonPropertyName("otlp_endpoint")]
    public string? OtlpEndpoint { get; init; }

    [JsonPropertyName("packages")]
    public IReadOnlyList<string> Packages { get; init; } = [];

    /// <summary>Azure endpoint YAML files applied at start (created or updated).</summary>
    [JsonPropertyName("endpoints")]
    public IReadOnlyList<string> Endpoints { get; init; } = [];

    /// <summary>Azure deployment YAML files applied at start (created, or updated when changed).</summary>
    [JsonPropertyName("deployments")]
    public IReadOnlyList<string> Deployments { get; init; } = [];

    public static ServerConfigFile Read(string path)
    {
        using var stream = File.OpenRead(path);
        var config = JsonSerializer.Deserialize(stream, CliJsonContext.Default.ServerConfigFile)
            ?? throw new JsonException("the file is empty");
        string baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return config with
        {
            // The source-generated reader leaves an absent list null despite its initializer.
            Packages = [.. (config.Packages ?? []).Select(p => Path.GetFullPath(p, baseDirectory))],
            Endpoints = [.. (config.Endpoints ?? []).Select(p => Path.GetFullPath(p, baseDirectory))],
            Deployments = [.. (config.Deployments ?? []).Select(p => Path.GetFullPath(p, baseDirectory))],
            State = config.State is null ? null : Path.GetFullPath(config.State, baseDirectory),
            AadSigningKeys = config.AadSigningKeys is null ? null : Path.GetFullPath(config.AadSigningKeys, baseDirectory),
        };
    }
}

[JsonSourceGenerationOptions(ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, WriteIndented = true)]
[JsonSerializable(typeof(ServerConfigFile))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

/// <summary>Compact JSON for what commands print, one document per line.</summary>
[JsonSerializable(typeof(TokenizeOutput))]
[JsonSerializable(typeof(DicomInfoOutput))]
internal sealed partial class CliOutputJsonContext : JsonSerializerContext;
