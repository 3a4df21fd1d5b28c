using System.Globalization;

namespace MedServe.Dicom.Rendering;

/// <summary>
/// How a monochrome frame is mapped to 8 bits: the wire value <c>params.normalization</c>.
/// A closed hierarchy: <see cref="WindowNormalization"/>, <see cref="PercentileNormalization"/>,
/// <see cref="ModelDefaultPercentileNormalization"/>, <see cref="CtWindowNormalization"/> and
/// <see cref="MinMaxNormalization"/>. Colour and palette frames ignore it (they are always returned as RGB).
/// </summary>
public abstract record DicomNormalization
{
    private const string Expected = "window, percentile, percentile:LOW:HIGH, percentile_nonzero:LOW:HIGH, ct:SITE, minmax";

    private static readonly CtWindowNormalization[] Sites =
    [
        new("abdomen", -150, 250),
        new("lung", -1000, 1000),
        new("pelvis", -55, 200),
        new("liver", -25, 230),
        new("colon", -68, 187),
        new("pancreas", -100, 200),
    ];

    private protected DicomNormalization()
    {
    }

    /// <summary>MedImageInsight's default: the 1st–99th percentile of all pixels.</summary>
    public static PercentileNormalization MedImageInsightDefault { get; } = new(1, 99, NonZeroOnly: false);

    /// <summary>MedImageParse's default (BiomedParse's client): the 0.5th–99.5th percentile of the non-zero pixels.</summary>
    public static PercentileNormalization MedImageParseDefault { get; } = new(0.5, 99.5, NonZeroOnly: true);

    /// <summary>CXRReportGen's default: the 1st–99th percentile of all pixels.</summary>
    public static PercentileNormalization CxrReportGenDefault { get; } = new(1, 99, NonZeroOnly: false);

    /// <summary>The CT sites <c>ct:SITE</c> accepts, with their HU windows (CONTRACTS.md §3), in documentation order.</summary>
    public static IReadOnlyList<CtWindowNormalization> CtSites => Sites;

    /// <summary>
    /// Replaces <see cref="ModelDefaultPercentileNormalization"/> (the bare wire value <c>percentile</c>)
    /// with <paramref name="modelDefault"/>; any other preset is returned unchanged.
    /// </summary>
    /// <param name="modelDefault">The model's default percentile preset, e.g. <see cref="MedImageParseDefault"/>.</param>
    /// <returns>A preset <see cref="DicomRenderer.Render"/> accepts.</returns>
    public DicomNormalization WithModelDefault(PercentileNormalization modelDefault)
    {
        ArgumentNullException.ThrowIfNull(modelDefault);
        return this is ModelDefaultPercentileNormalization ? modelDefault : this;
    }

    /// <summary>
    /// Parses the wire value (case-insensitive): <c>window</c>, <c>minmax</c>, <c>ct:SITE</c>,
    /// <c>percentile</c> (the model's default bounds), <c>percentile:LOW:HIGH</c> (all pixels) or
    /// <c>percentile_nonzero:LOW:HIGH</c> (non-zero pixels), with <c>0 ≤ LOW &lt; HIGH ≤ 100</c> written
    /// with a <c>.</c> decimal point.
    /// </summary>
    /// <param name="text">The wire value.</param>
    /// <param name="value">The preset, when the result is <c>true</c>.</param>
    /// <param name="error">A client-safe message, when the result is <c>false</c>; otherwise empty.</param>
    /// <returns><c>true</c> when <paramref name="text"/> is valid.</returns>
    public static bool TryParse(string? text, out DicomNormalization value, out string error)
    {
        value = WindowNormalization.Instance;
        error = string.Empty;
        string lower = (text ?? string.Empty).ToLowerInvariant();
        switch (lower)
        {
            case "window":
                return true;
            case "minmax":
                value = MinMaxNormalization.Instance;
                return true;
            case "percentile":
                value = ModelDefaultPercentileNormalization.Instance;
                return true;
        }

        if (lower.StartsWith("ct:", StringComparison.Ordinal))
        {
            string site = lower["ct:".Length..];
            foreach (CtWindowNormalization candidate in Sites)
            {
                if (candidate.Site == site)
                {
                    value = candidate;
                    return true;
                }
            }

            error = $"normalization '{Quote(text)}' has an unknown CT site; sites are {string.Join(", ", Sites.Select(s => s.Site))}";
            return false;
        }

        string[] parts = lower.Split(':');
        if (parts.Length == 3 && parts[0] is "percentile" or "percentile_nonzero")
        {
            if (!TryParseBound(parts[1], out double low) || !TryParseBound(parts[2], out double high) || low >= high)
            {
                error = $"normalization '{Quote(text)}' needs percentile bounds 0 <= LOW < HIGH <= 100";
                return false;
            }

            value = new PercentileNormalization(low, high, NonZeroOnly: parts[0] == "percentile_nonzero");
            return true;
        }

        error = $"normalization '{Quote(text)}' is not one of {Expected}";
        return false;
    }

    private static bool TryParseBound(string text, out double bound) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out bound)
        && bound is >= 0 and <= 100;

    // Echo at most a short prefix of what the client sent, so an error body stays small.
    private static string Quote(string? text)
    {
        const int MaxEcho = 64;
        text ??= string.Empty;
        return text.Length <= MaxEcho ? text : string.Concat(text.AsSpan(0, MaxEcho), "…");
    }
}
