using MedServe.Dicom.Gdcm;
using MedServe.Dicom.Worker;

namespace MedServe.Dicom.Tests.Gdcm;

/// <summary>One warm decoder for the test run, and the skip reason when this machine has no GDCM.</summary>
internal static class TestDecoders
{
    public static DicomDecoder Shared { get; } = new(new DicomDecoderOptions { PoolSize = 2 });

    /// <summary>Skips the calling test when GDCM (libgdcm-cil) is not available.</summary>
    public static void SkipWithoutGdcm()
    {
        Assert.SkipWhen(GdcmRuntime.EnsureInitialized() is not null, GdcmRuntime.MissingMessage);
    }

    /// <summary>The bytes of a shared conformance file; skips the calling test when ../shared is absent.</summary>
    public static byte[] SharedFile(string name)
    {
        SkipWithoutGdcm();
        string? path = MedServe.Testing.SharedTestData.File("dicom/" + name);
        Assert.SkipWhen(path is null, MedServe.Testing.SharedTestData.MissingReason);
        return File.ReadAllBytes(path!);
    }

    public static async Task<DicomFrame> DecodeAsync(byte[] dicom, int frame = 0)
    {
        DicomDecodeResult result = await Shared.DecodeAsync(dicom, frame, DicomDecodeLimits.Default, TestContext.Current.CancellationToken);
        Assert.True(result.IsSuccess, result.Error);
        return result.Frame;
    }
}
