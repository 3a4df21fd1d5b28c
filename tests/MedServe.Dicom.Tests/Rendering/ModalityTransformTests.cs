using MedServe.Dicom.Rendering;

namespace MedServe.Dicom.Tests.Rendering;

public sealed class ModalityTransformTests
{
    [Fact]
    public void Apply_FloatSlopeAndIntercept_ScalesInDouble()
    {
        DicomImage image = TestFrames.Mono([0]).Image with { RescaleSlope = 0.5, RescaleIntercept = -1024.25 };
        var result = new double[4];
        ModalityTransform.Apply(image, [0, 1, 2049, -3], result);
        Assert.Equal([-1024.25, -1023.75, 0.25, -1025.75], result);
    }

    [Fact]
    public void Apply_Identity_KeepsStoredValues()
    {
        DicomImage image = TestFrames.Mono([0]).Image;
        var result = new double[3];
        ModalityTransform.Apply(image, [-32768, 0, 65535], result);
        Assert.Equal([-32768.0, 0.0, 65535.0], result);
    }

    [Fact]
    public void Apply_ModalityLut_ReplacesRescaleAndClampsBelowAndAbove()
    {
        DicomImage image = TestFrames.Mono([0]).Image with
        {
            RescaleSlope = 2,
            RescaleIntercept = 7,
            ModalityLut = new DicomLut(FirstMappedValue: 10, BitsPerEntry: 16, Data: [100, 200, 300, 400]),
        };
        var result = new double[6];
        ModalityTransform.Apply(image, [5, 10, 11, 13, 14, 1000], result);
        Assert.Equal([100.0, 100, 200, 400, 400, 400], result);
    }

    [Fact]
    public void ApplyLut_NegativeFirstMappedValue_IndexesFromIt()
    {
        var lut = new DicomLut(FirstMappedValue: -2, BitsPerEntry: 16, Data: [7, 8, 9, 10]);
        var result = new double[5];
        ModalityTransform.ApplyLut(lut, [-5, -2, -1, 1, 2], result);
        Assert.Equal([7.0, 7, 8, 10, 10], result);
    }

    [Fact]
    public void Apply_EmptyLut_IsRefused()
    {
        DicomImage image = TestFrames.Mono([0]).Image with { ModalityLut = new DicomLut(0, 16, []) };
        var ex = Assert.Throws<DicomRenderException>(() => ModalityTransform.Apply(image, [1], new double[1]));
        Assert.Equal("modality LUT has no entries", ex.Message);
    }

    [Fact]
    public void Apply_NonFiniteSlope_IsRefused()
    {
        DicomImage image = TestFrames.Mono([0]).Image with { RescaleSlope = double.NaN };
        var ex = Assert.Throws<DicomRenderException>(() => ModalityTransform.Apply(image, [1], new double[1]));
        Assert.Equal("rescale slope or intercept is not a finite number", ex.Message);
    }
}
