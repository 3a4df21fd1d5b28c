using MedServe.Inference.Packages;
using MedServe.Inference.Runtime;
using MedServe.Models.CxrReportGen;
using MedServe.Models.MedImageInsight;
using MedServe.Models.MedImageParse;
using MedServe.Models.Scoring;

namespace MedServe.Models;

/// <summary>Loads a package folder and builds the model its manifest's task names.</summary>
public static class ModelLoader
{
    /// <summary>The tasks this build serves.</summary>
    public static IReadOnlyList<string> SupportedTasks { get; } = [MedImageInsightModel.TaskName, MedImageParseModel.TaskName, CxrReportGenModel.TaskName];

    /// <summary>
    /// Verifies and loads a package, then builds its model. Throws <see cref="ModelPackageException"/>
    /// when the package is refused.
    /// </summary>
    public static IScoringModel Load(string directory, ModelLoadOptions? options = null, OrtSessionFactory? sessionFactory = null)
    {
        options ??= new ModelLoadOptions();
        var package = ModelPackage.Load(directory, sessionFactory);
        try
        {
            return package.Manifest.Task switch
            {
                MedImageInsightModel.TaskName => MedImageInsightModel.Create(package, options),
                MedImageParseModel.TaskName => MedImageParseModel.Create(package, options),
                CxrReportGenModel.TaskName => CxrReportGenModel.Create(package, options),
                var task => throw new ModelPackageException(package.Directory,
                    [$"medserve.json: task '{task}' is not served by this build (supported: {string.Join(", ", SupportedTasks)})"]),
            };
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidDataException or IOException or FormatException)
        {
            // Settings the manifest format allows but the model cannot use (a bad mean/std, an unreadable
            // tokenizer file): the package is refused like any other mismatch.
            package.Dispose();
            throw new ModelPackageException(package.Directory, [$"medserve.json: {ex.Message}"]);
        }
        catch
        {
            package.Dispose();
            throw;
        }
    }
}
