using MedServe.Dicom.Gdcm;
using MedServe.Dicom.Worker;

namespace MedServe.Dicom.Tests;

public sealed class WorkerTemporaryFileTests
{
    [Fact]
    public void DeleteTemporaryFiles_KilledWorker_RemovesOnlyItsCopies()
    {
        // An id no live process of this test run has.
        const int Killed = 999_999_001;
        string mine = Path.Combine(Path.GetTempPath(), GdcmDicomReader.TemporaryFilePrefix(Killed) + "a.dcm");
        string other = Path.Combine(Path.GetTempPath(), GdcmDicomReader.TemporaryFilePrefix(Killed + 1) + "b.dcm");
        File.WriteAllText(mine, "patient data");
        File.WriteAllText(other, "someone else's");
        try
        {
            WorkerProcess.DeleteTemporaryFiles(Killed);
            Assert.False(File.Exists(mine));
            Assert.True(File.Exists(other));
        }
        finally
        {
            File.Delete(mine);
            File.Delete(other);
        }
    }

    [Fact]
    public void TemporaryFilePrefix_NamesTheProcess() =>
        Assert.Equal("medserve-dicom-42-", GdcmDicomReader.TemporaryFilePrefix(42));
}
