using System.Text.Json.Serialization;

namespace MedServe.Contracts;

/// <summary>
/// One row of a MedImageParse response: the masks as a JSON string (see <see cref="MaskArray"/>) and one
/// category name per prompt. The detection keys are MedServe additions, present only when asked for.
/// </summary>
public sealed record MedImageParseResult
{
    /// <summary>
    /// A JSON <em>string</em> holding <c>{"data": "&lt;base64&gt;", "shape": [N, H, W], "dtype": "uint8"}</c>:
    /// one mask per prompt, values = probability × 255.
    /// </summary>
    [JsonPropertyName("image_features")]
    public required string ImageFeatures { get; init; }

    /// <summary>
    /// One category name per prompt (e.g. <c>liver</c>, <c>tumor</c>); with recognition, the targets found.
    /// </summary>
    [JsonPropertyName("text_features")]
    public required IReadOnlyList<string> TextFeatures { get; init; }

    /// <summary>Per-prompt existence p-values (<c>params.detection</c> or <c>recognition</c>); null where none could be computed.</summary>
    [JsonPropertyName("p_values")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<double?>? PValues { get; init; }

    /// <summary>Per prompt, why its p-value is null (for example no distribution for it); null where a p-value was computed.</summary>
    [JsonPropertyName("p_value_reasons")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string?>? PValueReasons { get; init; }
}
