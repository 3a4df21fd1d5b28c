namespace MedServe.Dicom.Rendering;

/// <summary>
/// The bare wire value <c>percentile</c>: the model's default percentile bounds. The caller substitutes
/// them with <see cref="DicomNormalization.WithModelDefault"/> before rendering.
/// </summary>
public sealed record ModelDefaultPercentileNormalization : DicomNormalization
{
    private ModelDefaultPercentileNormalization()
    {
    }

    /// <summary>The single instance.</summary>
    public static ModelDefaultPercentileNormalization Instance { get; } = new();
}
