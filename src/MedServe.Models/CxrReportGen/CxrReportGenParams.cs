using System.Text.Json;
using MedServe.Dicom.Rendering;
using MedServe.Models.Inputs;
using MedServe.Models.Scoring;

namespace MedServe.Models.CxrReportGen;

/// <summary>
/// The CXRReportGen params. The hosted service defines none; these are MedServe's opt-in extensions,
/// and a request without params is answered exactly as the hosted endpoint answers it.
/// </summary>
internal readonly record struct CxrReportGenParams(bool Grounding, bool OriginalCoordinates, int MaxNewTokens, ImageInputOptions Image)
{
    public const string GroundingName = "grounding";
    public const string BoxCoordinatesName = "box_coordinates";
    public const string MaxNewTokensName = "max_new_tokens";
    public const string NormalizationName = "normalization";
    public const string DicomFrameName = "dicom_frame";
    public const string CropCoordinates = "crop";
    public const string OriginalCoordinatesValue = "original";

    /// <summary>Reads the params; <paramref name="groundedLimit"/> and <paramref name="plainLimit"/> are the package's token limits.</summary>
    public static bool TryRead(JsonElement? parameters, int groundedLimit, int plainLimit, out CxrReportGenParams value, out string error)
    {
        value = default;
        if (!ParamReader.TryGetBoolean(parameters, GroundingName, true, out bool grounding, out error)
            || !TryReadCoordinates(parameters, out bool original, out error))
        {
            return false;
        }

        int limit = grounding ? groundedLimit : plainLimit;
        if (!ParamReader.TryGetInt32(parameters, MaxNewTokensName, limit, 1, limit, out int maxNewTokens, out error)
            || !ParamReader.TryGetInt32(parameters, DicomFrameName, 0, 0, 1_000_000, out int frame, out error)
            || !ParamReader.TryGetNormalization(parameters, NormalizationName, DicomNormalization.CxrReportGenDefault, out var normalization, out error))
        {
            if (error.StartsWith($"param '{MaxNewTokensName}'", StringComparison.Ordinal))
            {
                error += grounding ? " (the package's limit for grounded reports)" : " (the package's limit with \"grounding\": false)";
            }

            return false;
        }

        value = new CxrReportGenParams(grounding, original, maxNewTokens, new ImageInputOptions(normalization, frame));
        return true;
    }

    private static bool TryReadCoordinates(JsonElement? parameters, out bool original, out string error)
    {
        original = false;
        error = "";
        if (parameters is not { } p || !p.TryGetProperty(BoxCoordinatesName, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        string? text = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        if (text is CropCoordinates or OriginalCoordinatesValue)
        {
            original = text == OriginalCoordinatesValue;
            return true;
        }

        error = $"param '{BoxCoordinatesName}' must be \"{CropCoordinates}\" (relative to the centre-cropped square, the default) or \"{OriginalCoordinatesValue}\" (relative to the original frontal image)";
        return false;
    }
}
