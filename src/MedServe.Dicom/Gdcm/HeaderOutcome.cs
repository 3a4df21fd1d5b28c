namespace MedServe.Dicom.Gdcm;

/// <summary>The header facts of a file, or why they could not be read.</summary>
/// <param name="Image">The facts, when read.</param>
/// <param name="Error">The refusal, when not.</param>
internal sealed record HeaderOutcome(DicomImage? Image, string? Error)
{
    public static HeaderOutcome Failure(string error) => new(null, error);
}
