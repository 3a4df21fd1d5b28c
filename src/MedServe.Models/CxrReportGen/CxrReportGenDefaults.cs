using MedServe.Inference.Packages;

namespace MedServe.Models.CxrReportGen;

/// <summary>The reference CXRReportGen settings (shared/CONTRACTS.md §4), used by packages and tools.</summary>
public static class CxrReportGenDefaults
{
    /// <summary>Phi-3's chat template for one user turn and the generation prompt.</summary>
    public const string Phi3ChatTemplate = "<|user|>\n{prompt}<|end|>\n<|assistant|>\n";

    /// <summary>The image placeholder token.</summary>
    public const string ImageToken = "<image>";

    /// <summary>BiomedCLIP ViT-B/16: 224², bicubic, [0,1], OpenAI CLIP mean and std.</summary>
    public static PreprocessingSettings Preprocessing { get; } = new()
    {
        ImageSize = 224,
        Resample = "bicubic",
        Scale = 1f / 255f,
        Mean = [0.48145466f, 0.4578275f, 0.40821073f],
        Std = [0.26862954f, 0.26130258f, 0.27577711f],
    };

    /// <summary>The grounding tokens of <see cref="GroundingSettings"/>' defaults, in the order packages add them.</summary>
    public static IReadOnlyList<string> GroundingTokens(GroundingSettings? settings = null)
    {
        settings ??= new GroundingSettings();
        var tokens = new List<string> { settings.ObjectStart, settings.ObjectEnd, settings.BoxStart, settings.BoxEnd };
        for (int bin = 0; bin < settings.CoordinateBins; bin++)
        {
            tokens.Add(settings.XToken.Replace("{bin}", bin.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        }

        for (int bin = 0; bin < settings.CoordinateBins; bin++)
        {
            tokens.Add(settings.YToken.Replace("{bin}", bin.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        }

        return tokens;
    }
}
