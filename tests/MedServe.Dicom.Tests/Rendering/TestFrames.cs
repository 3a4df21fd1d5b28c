using MedServe.Dicom.Rendering;

namespace MedServe.Dicom.Tests.Rendering;

/// <summary>Hand-built frames: one row of pixels unless told otherwise.</summary>
internal static class TestFrames
{
    public static DicomFrame Mono(int[] samples, string photometric = "MONOCHROME2", Func<DicomImage, DicomImage>? configure = null, int bitsStored = 16, bool signed = false)
    {
        var image = new DicomImage
        {
            Rows = 1,
            Columns = samples.Length,
            BitsAllocated = 16,
            BitsStored = bitsStored,
            IsSigned = signed,
            PhotometricInterpretation = photometric,
            TransferSyntaxUid = "1.2.840.10008.1.2.1",
        };
        image = configure?.Invoke(image) ?? image;
        return new DicomFrame(image, 0, samples, photometric);
    }

    public static DicomFrame Color(int[] samples, string photometric, int bitsStored = 8)
    {
        var image = new DicomImage
        {
            Rows = 1,
            Columns = samples.Length / 3,
            SamplesPerPixel = 3,
            BitsAllocated = bitsStored > 8 ? 16 : 8,
            BitsStored = bitsStored,
            PhotometricInterpretation = photometric,
            TransferSyntaxUid = "1.2.840.10008.1.2.1",
        };
        return new DicomFrame(image, 0, samples, photometric);
    }

    public static byte[] Render(DicomFrame frame, DicomNormalization normalization) =>
        DicomRenderer.Render(frame, normalization).Data;
}
