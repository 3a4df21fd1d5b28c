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

    /// <summary>Request bodies larger than this are refused with 413. <value>The default is 100 MB (100,000,000 bytes), as hosted.</value></summary>
    public long MaxRequestBodyBytes { get; init; } = 100_000_000;

    /// <summary>Images with more pixels are refused with 400. <value>The default is 178,956,970.</value></summary>
    public long MaxImagePixels { get; init; } = 178_956_970;

    /// <summary>Overrides every package's rows-per-request limit. <value>The default is null (each package's own).</value></summary>
    public int? MaxRowsPerRequest { get; init; }

    /// <summary>DICOM decoder worker processes. <value>The default is the number of processors.</value></summary>
    public int DicomWorkers { get; init; } = Environment.ProcessorCount;

    /// <summary>Time limit of one DICOM decode, in seconds. <value>The default is 10.</value></summary>
    public double DicomTimeoutSeconds { get; init; } = 10;

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

        if (MaxRequestBodyBytes < 1024)
        {
            problems.Add("the request body limit must be at least 1024 bytes");
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

        foreach (var (name, key) in new[] { ("primary", PrimaryKey), ("secondary", SecondaryKey) })
        {
            if (key is not null && (key.Length < 16 || key.Any(char.IsWhiteSpace)))
            {
                problems.Add($"the {name} key must be at least 16 characters without white space");
            }
        }

        return problems;
    }
}
