using System.Text.Json.Serialization;

namespace MedServe.Inference.Packages;

/// <summary>
/// The tokens of the grounded output grammar
/// <c>&lt;obj&gt;phrase&lt;box&gt;&lt;x55&gt;&lt;y45&gt;&lt;x70&gt;&lt;y56&gt;&lt;/box&gt;…&lt;/obj&gt;</c>; each must be an added token.
/// </summary>
public sealed record GroundingSettings
{
    /// <summary>Opens a finding.</summary>
    [JsonPropertyName("object_start")]
    public string ObjectStart { get; set; } = "<obj>";

    /// <summary>Closes a finding.</summary>
    [JsonPropertyName("object_end")]
    public string ObjectEnd { get; set; } = "</obj>";

    /// <summary>Opens a box.</summary>
    [JsonPropertyName("box_start")]
    public string BoxStart { get; set; } = "<box>";

    /// <summary>Closes a box.</summary>
    [JsonPropertyName("box_end")]
    public string BoxEnd { get; set; } = "</box>";

    /// <summary>The x coordinate tokens, <c>{bin}</c> replaced by 0 … bins − 1.</summary>
    [JsonPropertyName("x_token")]
    public string XToken { get; set; } = "<x{bin}>";

    /// <summary>The y coordinate tokens, <c>{bin}</c> replaced by 0 … bins − 1.</summary>
    [JsonPropertyName("y_token")]
    public string YToken { get; set; } = "<y{bin}>";

    /// <summary>Coordinate bins per axis; a bin b is the coordinate (b + 0.5) / bins. <value>The default is 100.</value></summary>
    [JsonPropertyName("coordinate_bins")]
    public int CoordinateBins { get; set; } = 100;
}
