namespace MedServe.Dicom.Tests;

public sealed class DicomImageTests
{
    [Fact]
    public void DicomImage_Defaults_AreSingleFrameMonochromeIdentityRescale()
    {
        var image = new DicomImage { Rows = 2, Columns = 3, BitsAllocated = 16, BitsStored = 12, PhotometricInterpretation = "MONOCHROME2", TransferSyntaxUid = "1.2.840.10008.1.2.1" };
        Assert.Equal(1, image.NumberOfFrames);
        Assert.Equal(1, image.SamplesPerPixel);
        Assert.Equal(1.0, image.RescaleSlope);
        Assert.Equal(0.0, image.RescaleIntercept);
        Assert.Empty(image.Windows);
        Assert.Null(image.ModalityLut);
    }
}
