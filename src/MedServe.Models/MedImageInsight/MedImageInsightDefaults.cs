using MedServe.Inference.Packages;

namespace MedServe.Models.MedImageInsight;

/// <summary>The reference MedImageInsight settings (shared/CONTRACTS.md §2), used by packages and tools.</summary>
public static class MedImageInsightDefaults
{
    /// <summary>480×480 antialiased bicubic, [0,1], ImageNet mean and std, RGB.</summary>
    public static PreprocessingSettings Preprocessing { get; } = new()
    {
        ImageSize = 480,
        Resample = "bicubic",
        Scale = 1f / 255f,
        Mean = [0.485f, 0.456f, 0.406f],
        Std = [0.229f, 0.224f, 0.225f],
    };
}
