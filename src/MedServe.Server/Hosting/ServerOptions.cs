namespace MedServe.Server.Hosting;

/// <summary>How the scoring server runs. Validated by <see cref="Validate"/> before start.</summary>
public sealed record ServerOptions
{
    /// <summary>The address to listen on. <value>The default is 127.0.0.1.</value></summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The port to listen on. <value>The default is 5000.</value></summary>
    public int Port { get; init; } = 5000;

    /// <summary>The primary endpoint key. <value>The default is null: a random key is generated at start.</value></summary>
    public string? PrimaryKey { get; init; }

    /// <summary>The secondary endpoint key. <value>The default is null: a random key is generated at start.</value></summary>
    public string? SecondaryKey { get; init; }

    /// <summary>The largest request body limit: a body is read into one array (<see cref="Array.MaxLength"/>).</summary>
    public const long MaxBodyLimit = 2_147_483_591;

    /// <summary>
    /// Request bodies larger than this are refused with 413; from 1024 to <see cref="MaxBodyLimit"/>.
    /// <value>The default is 100 MB (100,000,000 bytes), as hosted.</value>
    /// </summary>
    public long MaxRequestBodyBytes { get; init; } = 100_000_000;

    /// <summary>Images with more pixels are refused with 400. <value>The default is 178,956,970.</value></summary>
    public long MaxImagePixels { get; init; } = 178_956_970;

    /// <summary>Overrides every package's rows-per-request limit. <value>The default is null (each package's own).</value></summary>
    public int? MaxRowsPerRequest { get; init; }

    /// <summary>DICOM decoder worker processes. <value>The default is the number of processors.</value></summary>
    public int DicomWorkers { get; init; } = Environment.ProcessorCount;

    /// <summary>Time limit of one DICOM decode, in seconds. <value>The default is 10.</value></summary>
    public double DicomTimeoutSeconds { get; init; } = 10;

    /// <summary>The admin key of the management API (<c>/management/…</c>); scoring keys never manage. <value>The default is null: a random key is generated at start.</value></summary>
    public string? AdminKey { get; init; }

    /// <summary>The SQLite state database (endpoints, deployments, key hashes, audit log). <value>The default is null: state in memory, lost at exit.</value></summary>
    public string? StatePath { get; init; }

    /// <summary>The endpoint also served at <c>/score</c>. <value>The default is null: the first package's endpoint, else the oldest endpoint.</value></summary>
    public string? DefaultEndpoint { get; init; }

    /// <summary>The OpenID issuer <c>aad_token</c> endpoints accept. <value>The default is null (aad_token not available).</value></summary>
    public string? AadIssuer { get; init; }

    /// <summary>The audience <c>aad_token</c> tokens must carry. <value>The default is null.</value></summary>
    public string? AadAudience { get; init; }

    /// <summary>A JWKS file with the issuer's signing keys. <value>The default is null.</value></summary>
    public string? AadSigningKeysFile { get; init; }

    /// <summary>How long an aml token is valid; clients are told to refresh after half of it. <value>The default is 1 hour.</value></summary>
    public TimeSpan AmlTokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>An OTLP collector to send traces to, e.g. http://127.0.0.1:4317. <value>The default is null (no trace export).</value></summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>Returns the problems with these options; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Port is < 0 or > 65535)
        {
            problems.Add($"port {Port} is not from 0 to 65535");
        }

        if (string.IsNullOrWhiteSpace(Host))
        {
            problems.Add("host is empty");
        }

        if (MaxRequestBodyBytes is < 1024 or > MaxBodyLimit)
        {
            problems.Add($"the request body limit must be from 1024 to {MaxBodyLimit} bytes (a body is read into one array)");
        }

        if (MaxImagePixels < 1)
        {
            problems.Add("the image pixel limit must be positive");
        }

        if (DicomWorkers is < 1 or > 256)
        {
            problems.Add("the number of DICOM workers must be from 1 to 256");
        }

        if (DicomTimeoutSeconds is not (> 0 and <= 600))
        {
            problems.Add("the DICOM decode time limit must be more than 0 and at most 600 seconds");
        }

        if (MaxRowsPerRequest is < 1)
        {
            problems.Add("the rows-per-request limit must be positive");
        }

        int aad = (AadIssuer is null ? 0 : 1) + (AadAudience is null ? 0 : 1) + (AadSigningKeysFile is null ? 0 : 1);
        if (aad is 1 or 2)
        {
            problems.Add("aad_token needs all three of the issuer, the audience and the signing keys file");
        }

        if (AadSigningKeysFile is not null && !File.Exists(AadSigningKeysFile))
        {
            problems.Add($"the aad signing keys file '{AadSigningKeysFile}' does not exist");
        }

        if (AmlTokenLifetime < TimeSpan.FromMinutes(1) || AmlTokenLifetime > TimeSpan.FromDays(1))
        {
            problems.Add("the aml token lifetime must be from 1 minute to 1 day");
        }

        if (OtlpEndpoint is not null && !OtlpEndpoint.IsAbsoluteUri)
        {
            problems.Add("the OTLP endpoint must be an absolute URL");
        }

        foreach (var (name, key) in new[] { ("primary", PrimaryKey), ("secondary", SecondaryKey), ("admin", AdminKey) })
        {
            if (key is not null && (key.Length < 16 || key.Any(char.IsWhiteSpace)))
            {
                problems.Add($"the {name} key must be at least 16 characters without white space");
            }
        }

        return problems;
    }
}
