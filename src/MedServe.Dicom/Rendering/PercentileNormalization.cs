namespace MedServe.Dicom.Rendering;

/// <summary>
/// <c>percentile:LOW:HIGH</c> or <c>percentile_nonzero:LOW:HIGH</c>: the LOW-th and HIGH-th percentiles
/// (numpy's default linear interpolation) of the modality-transformed frame map to 0 and 255.
/// </summary>
/// <param name="Low">Lower percentile, 0–100.</param>
/// <param name="High">Upper percentile, 0–100, above <paramref name="Low"/>.</param>
/// <param name="NonZeroOnly">When true the percentiles are taken over the non-zero pixels only (all pixels are still mapped).</param>
public sealed record PercentileNormalization(double Low, double High, bool NonZeroOnly) : DicomNormalization;
