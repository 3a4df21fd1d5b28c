namespace MedServe.Dicom.Worker;

/// <summary>Bounds checked against the declared header before any pixel data is decoded.</summary>
public sealed record DicomDecodeLimits
{
    /// <summary>The limits used when a caller gives none.</summary>
    public static DicomDecodeLimits Default { get; } = new();

    /// <summary>
    /// The most samples (Rows × Columns × frames × samples per pixel) a file may declare.
    /// </summary>
    /// <value>The default is 100,000,000.</value>
    public long MaxPixels { get; init; } = 100_000_000;
}
