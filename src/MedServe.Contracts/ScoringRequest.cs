using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedServe.Contracts;

/// <summary>
/// A scoring request as clients send it: a pandas "split" frame under <c>input_data</c> and optional
/// <c>params</c>.
/// </summary>
public sealed record ScoringRequest
{
    /// <summary>The input frame.</summary>
    [JsonPropertyName("input_data")]
    public required InputData InputData { get; init; }

    /// <summary>Model parameters; anything that is not a JSON object is treated as no parameters.</summary>
    [JsonPropertyName("params")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Params { get; init; }
}

/// <summary>A pandas "split" frame: column names, an optional index and the rows.</summary>
public sealed record InputData
{
    /// <summary>The column names, in the order of each row's cells.</summary>
    [JsonPropertyName("columns")]
    public required IReadOnlyList<string> Columns { get; init; }

    /// <summary>The row index; optional, and when present as long as <see cref="Data"/>.</summary>
    [JsonPropertyName("index")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<long>? Index { get; init; }

    /// <summary>The rows; each row has one cell per column (a string, or null for a modality not sent).</summary>
    [JsonPropertyName("data")]
    public required IReadOnlyList<IReadOnlyList<string?>> Data { get; init; }
}
