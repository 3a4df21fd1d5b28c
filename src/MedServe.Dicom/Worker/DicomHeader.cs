namespace MedServe.Dicom.Worker;

/// <summary>The decoding-relevant header facts of a DICOM file (no patient identifiers).</summary>
/// <param name="Image">Geometry, sample format and transforms.</param>
/// <param name="TransferSyntaxName">The transfer syntax's name, e.g. <c>JPEG 2000 (Lossless Only)</c>.</param>
public sealed record DicomHeader(DicomImage Image, string TransferSyntaxName);
