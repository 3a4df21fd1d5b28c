using System.Text.Json.Serialization;

namespace MedServe.Inference.Packages;

/// <summary>
/// The wording of a CXRReportGen prompt (MAIRA-2's by default). Each image phrase is followed by the
/// image placeholder; <c>{prior_report}</c>, <c>{indication}</c>, <c>{technique}</c> and
/// <c>{comparison}</c> are replaced by the row's text or <see cref="Missing"/>.
/// </summary>
public sealed record PromptSettings
{
    /// <summary>The frontal image phrase when it is the only image.</summary>
    [JsonPropertyName("frontal_only")]
    public string FrontalOnly { get; set; } = "Given the current frontal image only";

    /// <summary>The frontal image phrase when a lateral or prior image follows.</summary>
    [JsonPropertyName("frontal")]
    public string Frontal { get; set; } = "Given the current frontal image";

    /// <summary>The lateral image phrase when a prior image follows.</summary>
    [JsonPropertyName("lateral_before_prior")]
    public string LateralBeforePrior { get; set; } = " the current lateral image";

    /// <summary>The lateral image phrase when it is the last image.</summary>
    [JsonPropertyName("lateral")]
    public string Lateral { get; set; } = " and the current lateral image";

    /// <summary>The prior frontal image phrase.</summary>
    [JsonPropertyName("prior")]
    public string Prior { get; set; } = " and the prior frontal image";

    /// <summary>The prior report section, present whenever a prior image is.</summary>
    [JsonPropertyName("prior_report")]
    public string PriorReport { get; set; } = " PRIOR_REPORT: {prior_report}";

    /// <summary>The grounded-reporting instruction and sections.</summary>
    [JsonPropertyName("grounded_instruction")]
    public string GroundedInstruction { get; set; } =
        " Provide a structured description of the findings in the radiology study in comparison to the prior frontal image."
        + " Each finding should be described as a self-contained plain-text sentence."
        + " If the finding is groundable, locate the finding in the current frontal chest X-ray image,"
        + " with bounding boxes indicating all locations where it can be seen in the current frontal image."
        + " Otherwise, generate just the ungrounded finding without bounding boxes."
        + " INDICATION: {indication} TECHNIQUE: {technique} COMPARISON: {comparison}";

    /// <summary>The plain (ungrounded) reporting instruction and sections.</summary>
    [JsonPropertyName("plain_instruction")]
    public string PlainInstruction { get; set; } =
        " Provide a structured description of the findings in the radiology study in comparison to the prior frontal image."
        + " INDICATION: {indication} TECHNIQUE: {technique} COMPARISON: {comparison}";

    /// <summary>The text of a section the row did not send. <value>The default is N/A.</value></summary>
    [JsonPropertyName("missing")]
    public string Missing { get; set; } = "N/A";
}
