using MedServe.Dicom.Gdcm;
using MedServe.Testing;

namespace MedServe.Dicom.Tests;

public sealed class StrayItemRepairTests
{
    private static readonly byte[] Clean = MinimalDicom.Image(2, 2, "MONOCHROME2", [1, 2, 3, 4]);

    /// <summary>The clean file with bytes inserted right after the (0008,0060) Modality element.</summary>
    private static byte[] WithInserted(byte[] insert)
    {
        int modality = Clean.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x08, 0x00, 0x60, 0x00]);
        int after = modality + 8 + 2; // "OT" padded to 2 bytes
        return [.. Clean[..after], .. insert, .. Clean[after..]];
    }

    [Fact]
    public void TryRepair_StrayDefinedLengthItem_IsRemoved()
    {
        byte[] item = [0xFE, 0xFF, 0x00, 0xE0, 10, 0, 0, 0, 0x18, 0x00, 0x12, 0x60, (byte)'U', (byte)'S', 2, 0, 1, 0];
        byte[]? repaired = StrayItemRepair.TryRepair(WithInserted(item));
        Assert.Equal(Clean, repaired);
    }

    [Fact]
    public void TryRepair_CleanFile_ReturnsNull() => Assert.Null(StrayItemRepair.TryRepair(Clean));

    [Fact]
    public void TryRepair_UndefinedLengthItem_GivesUp() =>
        Assert.Null(StrayItemRepair.TryRepair(WithInserted([0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF])));

    [Fact]
    public void TryRepair_NotPart10_ReturnsNull() => Assert.Null(StrayItemRepair.TryRepair([1, 2, 3]));
}
