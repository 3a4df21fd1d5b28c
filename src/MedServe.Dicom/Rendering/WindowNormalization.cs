namespace MedServe.Dicom.Rendering;

/// <summary>
/// <c>window</c>: the file's VOI (the first Window Center/Width with its VOI LUT Function, else the VOI LUT
/// Sequence), falling back to min–max of the modality-transformed frame when the file has neither.
/// </summary>
public sealed record WindowNormalization : DicomNormalization
{
    private WindowNormalization()
    {
    }

    /// <summary>The single instance.</summary>
    public static WindowNormalization Instance { get; } = new();
}
