namespace MedServe.Dicom.Tests.Gdcm;

public sealed class DicomWorkerDeploymentTests
{
    [Theory]
    [InlineData("MedServe.Dicom.Worker.dll")]
    [InlineData("MedServe.Dicom.Worker.runtimeconfig.json")]
    [InlineData("MedServe.Dicom.Worker.deps.json")]
    public void Build_ReferencingProject_GetsTheWorkerBesideItsAssemblies(string file)
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, file)), $"{file} is missing from {AppContext.BaseDirectory}");
    }
}
