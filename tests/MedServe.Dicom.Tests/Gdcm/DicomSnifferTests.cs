using MedServe.Dicom.Worker;

namespace MedServe.Dicom.Tests.Gdcm;

public sealed class DicomSnifferTests
{
    [Fact]
    public void IsDicom_Part10Preamble_True()
    {
        var bytes = new byte[200];
        "DICM"u8.CopyTo(bytes.AsSpan(128));

        Assert.True(DicomSniffer.IsDicom(bytes));
    }

    [Fact]
    public void IsDicom_RawExplicitVrDataSet_True()
    {
        byte[] bytes = [0x08, 0x00, 0x05, 0x00, (byte)'C', (byte)'S', 0x0A, 0x00, .. "ISO_IR 100"u8];

        Assert.True(DicomSniffer.IsDicom(bytes));
    }

    [Fact]
    public void IsDicom_RawImplicitVrDataSet_True()
    {
        byte[] bytes = [0x08, 0x00, 0x16, 0x00, 0x04, 0x00, 0x00, 0x00, .. "1.2 "u8];

        Assert.True(DicomSniffer.IsDicom(bytes));
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 })]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46 })]
    [InlineData(new byte[] { 0x08, 0x00, 0x16, 0x00, 0xFF, 0xFF, 0xFF, 0x7F })]
    [InlineData(new byte[] { })]
    public void IsDicom_PngJpegOrGarbage_False(byte[] bytes)
    {
        Assert.False(DicomSniffer.IsDicom(bytes));
    }
}
