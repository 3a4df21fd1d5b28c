using System.Text.Json.Serialization;

namespace MedServe.Contracts;

/// <summary>
/// One row of a MedImageInsight response. A key is omitted for a modality the row did not send.
/// </summary>
public sealed record MedImageInsightResult
{
    /// <summary>
    /// The L2-normalised image embedding, nested one level (<c>[[d0, …, d1023]]</c>) as the hosted
    /// endpoint returns it.
    /// </summary>
    [JsonPropertyName("image_features")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float[][]? ImageFeatures { get; init; }

    /// <summary>The L2-normalised text embedding, flat (<c>[d0, …, d1023]</c>).</summary>
    [JsonPropertyName("text_features")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float[]? TextFeatures { get; init; }

    /// <summary>
    /// The model's raw <c>logit_scale</c> in log space (about 4.51); clients apply <c>exp()</c>
    /// before a softmax.
    /// </summary>
    [JsonPropertyName("scaling_factor")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? ScalingFactor { get; init; }
}
