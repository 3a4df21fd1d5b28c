using System.Text.Json;
using MedServe.Dicom.Rendering;
using MedServe.Models.Inputs;
using MedServe.Models.Scoring;

namespace MedServe.Models.MedImageParse;

/// <summary>
/// MedImageParse params. The hosted service defines none; every one here is a MedServe addition and
/// off by default, so hosted-shaped requests get the hosted behaviour.
/// </summary>
internal sealed record MedImageParseParams(
    bool AutoPreprocess,
    string? CtWindow,
    bool Detection,
    bool Recognition,
    string? Modality,
    double PValueThreshold,
    ImageInputOptions Image)
{
    public const string AutoPreprocessName = "auto_preprocess";
    public const string CtWindowName = "ct_window";
    public const string DetectionName = "detection";
    public const string RecognitionName = "recognition";
    public const string ModalityName = "modality";
    public const string PValueThresholdName = "p_value_threshold";
    public const string NormalizationName = "normalization";
    public const string DicomFrameName = "dicom_frame";

    /// <summary>The recognition p-value threshold when none is given. <value>The default is 0.05.</value></summary>
    public const double DefaultPValueThreshold = 0.05;

    /// <summary>True when the request needs existence p-values (detection, or recognition which filters by them).</summary>
    public bool NeedsPValues => Detection || Recognition;

    public static bool TryRead(JsonElement? parameters, out MedImageParseParams value, out string error)
    {
        value = null!;
        if (!ParamReader.TryGetBoolean(parameters, AutoPreprocessName, false, out bool auto, out error)
            || !ParamReader.TryGetString(parameters, CtWindowName, out string? ctWindow, out error)
            || !ParamReader.TryGetBoolean(parameters, DetectionName, false, out bool detection, out error)
            || !ParamReader.TryGetBoolean(parameters, RecognitionName, false, out bool recognition, out error)
            || !ParamReader.TryGetString(parameters, ModalityName, out string? modality, out error)
            || !ParamReader.TryGetDouble(parameters, PValueThresholdName, DefaultPValueThreshold, 0, 1, out double threshold, out error)
            || !ParamReader.TryGetInt32(parameters, DicomFrameName, 0, 0, 1_000_000, out int frame, out error)
            || !ParamReader.TryGetNormalization(parameters, NormalizationName, DicomNormalization.MedImageParseDefault, out var normalization, out error))
        {
            return false;
        }

        if (ctWindow is not null)
        {
            var site = DicomNormalization.CtSites.FirstOrDefault(s => string.Equals(s.Site, ctWindow, StringComparison.OrdinalIgnoreCase));
            if (site is null)
            {
                error = $"param '{CtWindowName}' must be one of: {string.Join(", ", DicomNormalization.CtSites.Select(s => s.Site))}";
                return false;
            }

            if (parameters is { } p && p.TryGetProperty(NormalizationName, out var n) && n.ValueKind != JsonValueKind.Null)
            {
                error = $"params '{CtWindowName}' and '{NormalizationName}' both choose the DICOM intensity mapping; send one";
                return false;
            }

            normalization = site;
            ctWindow = site.Site;
        }

        if ((detection || recognition) && modality is null)
        {
            error = $"param '{ModalityName}' is required with '{(recognition ? RecognitionName : DetectionName)}' (the image type, e.g. \"CT-Abdomen\")";
            return false;
        }

        value = new MedImageParseParams(auto, ctWindow, detection, recognition, modality, threshold, new ImageInputOptions(normalization, frame));
        return true;
    }
}
