using MedServe.Dicom.Rendering;

namespace MedServe.Models.Inputs;

/// <summary>How a request wants its image cells prepared (the DICOM params; PNG and JPEG ignore them).</summary>
/// <param name="Normalization">The DICOM normalisation preset, already resolved to the model's default.</param>
/// <param name="DicomFrame">The frame of a multi-frame DICOM (0-based).</param>
public sealed record ImageInputOptions(DicomNormalization Normalization, int DicomFrame);
