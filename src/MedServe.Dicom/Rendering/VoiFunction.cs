namespace MedServe.Dicom.Rendering;

/// <summary>The VOI LUT Function values the renderer implements.</summary>
internal enum VoiFunction
{
    Linear,
    LinearExact,
    Sigmoid,
}
