namespace MedServe.Models.Scoring;

/// <summary>What a served model is and what its requests may hold (used for errors and OpenAPI).</summary>
public sealed record ModelDescriptor
{
    /// <summary>The package (and endpoint) name.</summary>
    public required string Name { get; init; }

    /// <summary>The model family, e.g. <c>medimageinsight</c>.</summary>
    public required string Task { get; init; }

    /// <summary>The package version.</summary>
    public required string Version { get; init; }

    /// <summary>True when the package holds synthetic (demo) weights.</summary>
    public bool Synthetic { get; init; }

    /// <summary>The accepted columns, each with whether it holds an image.</summary>
    public required IReadOnlyList<ColumnDescriptor> Columns { get; init; }

    /// <summary>The accepted params.</summary>
    public IReadOnlyList<ParamDescriptor> Params { get; init; } = [];

    /// <summary>The most rows one request may carry.</summary>
    public int MaxRows { get; init; }

    /// <summary>The JSON schema (OpenAPI 3.0) of one response row.</summary>
    public required string ResponseRowSchemaJson { get; init; }
}

/// <summary>One accepted column.</summary>
/// <param name="Name">The column name.</param>
/// <param name="IsImage">True for an image column (base64 PNG or JPEG).</param>
/// <param name="Description">What the column holds.</param>
public sealed record ColumnDescriptor(string Name, bool IsImage, string Description);

/// <summary>One accepted parameter.</summary>
/// <param name="Name">The parameter name.</param>
/// <param name="Type">The JSON schema type: <c>boolean</c>, <c>integer</c>, <c>string</c>.</param>
/// <param name="DefaultValue">The default, as JSON text.</param>
/// <param name="Description">What it does.</param>
public sealed record ParamDescriptor(string Name, string Type, string DefaultValue, string Description);
