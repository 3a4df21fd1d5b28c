using System.Globalization;

namespace MedServe.Models.CxrReportGen;

/// <summary>The graph roles and tensor names of a CXRReportGen package (ONNX Runtime GenAI / Optimum layout).</summary>
internal static class CxrGraphNames
{
    public const string Vision = "vision";
    public const string Embed = "embed";
    public const string Decoder = "decoder";
    public const string PixelValues = "pixel_values";
    public const string ImageEmbeds = "image_embeds";
    public const string InputIds = "input_ids";
    public const string InputsEmbeds = "inputs_embeds";
    public const string AttentionMask = "attention_mask";
    public const string PositionIds = "position_ids";
    public const string Logits = "logits";

    public static string PastKey(int layer) => string.Create(CultureInfo.InvariantCulture, $"past_key_values.{layer}.key");

    public static string PastValue(int layer) => string.Create(CultureInfo.InvariantCulture, $"past_key_values.{layer}.value");

    public static string PresentKey(int layer) => string.Create(CultureInfo.InvariantCulture, $"present.{layer}.key");

    public static string PresentValue(int layer) => string.Create(CultureInfo.InvariantCulture, $"present.{layer}.value");
}
