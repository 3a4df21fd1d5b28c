using System.Text.Json;
using MedServe.Dicom.Rendering;
using MedServe.Models.Inputs;
using MedServe.Models.Scoring;

namespace MedServe.Models.MedImageInsight;

/// <summary>The hosted MedImageInsight params with their defaults.</summary>
internal readonly record struct MedImageInsightParams(bool GetScalingFactor, int StandardizationSize, int JpegQuality, ImageInputOptions Image)
{
    public const string GetScalingFactorName = "get_scaling_factor";
    public const string StandardizationSizeName = "image_standardization_image_size";
    public const string JpegQualityName = "image_standardization_jpeg_compression_ratio";
    public const string NormalizationName = "normalization";
    public const string DicomFrameName = "dicom_frame";

    public static bool TryRead(JsonElement? parameters, out MedImageInsightParams value, out string error)
    {
        value = default;
        if (!ParamReader.TryGetBoolean(parameters, GetScalingFactorName, true, out bool scaling, out error)
            || !ParamReader.TryGetInt32(parameters, StandardizationSizeName, 512, 16, 4096, out int size, out error)
            || !ParamReader.TryGetInt32(parameters, JpegQualityName, 75, 1, 100, out int quality, out error)
            || !ParamReader.TryGetInt32(parameters, DicomFrameName, 0, 0, 1_000_000, out int frame, out error)
            || !ParamReader.TryGetNormalization(parameters, NormalizationName, DicomNormalization.MedImageInsightDefault, out var normalization, out error))
        {
            return false;
        }

        value = new MedImageInsightParams(scaling, size, quality, new ImageInputOptions(normalization, frame));
        return true;
    }
}
