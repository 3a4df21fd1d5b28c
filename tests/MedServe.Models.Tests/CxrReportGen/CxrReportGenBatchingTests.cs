using MedServe.Models.CxrReportGen;
using MedServe.Models.Demo;

namespace MedServe.Models.Tests.CxrReportGen;

/// <summary>
/// The vision graph through the dynamic batcher: batched embeddings equal one-by-one runs, the batcher's
/// size is the deployment's within the graph's limit, and the images of one row share a run.
/// </summary>
public sealed class CxrReportGenBatchingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-cxr-batch-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static CxrReportGenModel Load(string directory, BatchingOptions? batching) =>
        (CxrReportGenModel)ModelLoader.Load(directory, new ModelLoadOptions { Batching = batching });

    [Fact]
    public async Task EmbedImagesAsync_ThreeImagesInOneBatchedRun_EqualEachImageEmbeddedAlone()
    {
        string package = CxrReportGenDemoPackage.Write(_dir);
        var images = await CxrReportGenModelTests.DecodeAsync(CxrTestImages.Dark(), CxrTestImages.Bright(64, 40), CxrTestImages.Dark(40, 56));
        // A full batch runs at once; the long delay would only matter if the three did not share it.
        using var batched = Load(package, new BatchingOptions { MaxBatchSize = 3, MaxQueueDelay = TimeSpan.FromMinutes(10) });
        using var alone = Load(package, batching: null);

        float[] together = await batched.EmbedImagesAsync(images, TestContext.Current.CancellationToken);
        float[] expected = [.. images.SelectMany(image => alone.EmbedImages([image], TestContext.Current.CancellationToken))];

        Assert.Equal(expected.Length, together.Length);
        Assert.Equal(expected, together);
        // The images differ, so a row given another row's embeddings would not match.
        int perImage = together.Length / 3;
        Assert.NotEqual(together.AsSpan(0, perImage).ToArray(), together.AsSpan(perImage, perImage).ToArray());
    }

    [Theory]
    [InlineData(null, 8)]
    [InlineData(3, 3)]
    [InlineData(100, 8)]
    public void Create_Batching_RunSizeIsTheDeploymentsWithinTheVisionGraphsLimit(int? deployment, int expected)
    {
        using var model = Load(CxrReportGenDemoPackage.Write(_dir), new BatchingOptions { MaxBatchSize = deployment });
        Assert.Equal(CxrReportGenDemoPackage.VisionMaxBatchSize, model.VisionBatchLimit);
        Assert.Equal(expected, model.BatchedRunSize);
    }

    [Fact]
    public void Create_VisionWithoutItsOwnLimit_UsesLimitsMaxBatchSizeAndBatchingOffHasNoBatcher()
    {
        using var model = Load(CxrTestPackages.WriteFixedVisionBatch(_dir, images: 1, graphLimit: null, packageLimit: 1), batching: null);
        Assert.Equal(1, model.VisionBatchLimit);
        Assert.Null(model.BatchedRunSize);
    }

    [Fact]
    public async Task ScoreAsync_FixedBatchOfOneAndThreeImages_RunsThemOneByOne()
    {
        // Batching off: the row's three images go in runs of the graph's limit (1), which a fixed batch of 1 requires.
        using var model = Load(CxrTestPackages.WriteFixedVisionBatch(_dir, images: 1, graphLimit: 1), batching: null);
        string frontal = Convert.ToBase64String(CxrTestImages.Dark());
        string json = "{\"input_data\": {\"columns\": [\"frontal_image\", \"lateral_image\", \"prior_image\"], \"data\": [[\""
            + frontal + "\", \"" + frontal + "\", \"" + frontal + "\"]]}}";
        Assert.StartsWith("[[\"The lungs are clear.\"", await CxrReportGenModelTests.OutputAsync(model, json), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreAsync_RowWithTwoImagesBatched_TheyShareOneRun()
    {
        // The batch-revealing vision flips the brightness of a shared run: two dark images in one run read as bright.
        string shared = CxrTestPackages.WriteBatchRevealing(Path.Combine(_dir, "shared"));
        string single = CxrTestPackages.EditManifest(CxrTestPackages.WriteBatchRevealing(Path.Combine(_dir, "single")),
            manifest => manifest["graphs"]!["vision"]!["max_batch_size"] = 1);
        using var batched = Load(shared, new BatchingOptions { MaxBatchSize = 2, MaxQueueDelay = TimeSpan.FromMinutes(10) });
        using var oneByOne = Load(single, batching: null);

        Assert.StartsWith("[[\"The cardiomediastinal silhouette is normal.\"", await FindingsAsync(batched), StringComparison.Ordinal);
        Assert.StartsWith("[[\"The lungs are clear.\"", await FindingsAsync(oneByOne), StringComparison.Ordinal);
    }

    private static async Task<string> FindingsAsync(CxrReportGenModel model)
    {
        string dark = Convert.ToBase64String(CxrTestImages.Dark());
        string json = "{\"input_data\": {\"columns\": [\"frontal_image\", \"lateral_image\"], \"data\": [[\"" + dark + "\", \"" + dark + "\"]]}}";
        return await CxrReportGenModelTests.OutputAsync(model, json);
    }
}
