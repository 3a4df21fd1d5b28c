namespace MedServe.Dicom.Rendering;

/// <summary><c>minmax</c>: the modality-transformed frame's minimum and maximum map to 0 and 255.</summary>
public sealed record MinMaxNormalization : DicomNormalization
{
    private MinMaxNormalization()
    {
    }

    /// <summary>The single instance.</summary>
    public static MinMaxNormalization Instance { get; } = new();
}
