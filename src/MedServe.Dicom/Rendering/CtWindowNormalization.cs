namespace MedServe.Dicom.Rendering;

/// <summary><c>ct:SITE</c>: a fixed Hounsfield-unit window applied to the modality-transformed frame.</summary>
/// <param name="Site">The site name as on the wire, e.g. <c>abdomen</c>.</param>
/// <param name="LowHu">The HU value that maps to 0.</param>
/// <param name="HighHu">The HU value that maps to 255.</param>
public sealed record CtWindowNormalization(string Site, double LowHu, double HighHu) : DicomNormalization;
