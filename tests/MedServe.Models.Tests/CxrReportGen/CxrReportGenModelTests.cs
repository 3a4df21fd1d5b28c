using System.Text;
using System.Text.Json;
using MedServe.Models.CxrReportGen;
using MedServe.Models.Demo;
using MedServe.Models.Scoring;

namespace MedServe.Models.Tests.CxrReportGen;

public sealed class CxrReportGenModelTests : IDisposable
{
    private const string DarkOutput =
        "[[\"The lungs are clear.\", null], [\"No pleural effusion or pneumothorax.\", null], "
        + "[\"Median sternotomy wires are present.\", [[0.455, 0.205, 0.555, 0.625]]]]";

    private const string BrightOutput =
        "[[\"The cardiomediastinal silhouette is normal.\", null], "
        + "[\"There is a patchy opacity in the right lower lung.\", [[0.155, 0.555, 0.425, 0.805]]], "
        + "[\"Small bilateral pleural effusions.\", [[0.105, 0.705, 0.305, 0.905], [0.685, 0.705, 0.905, 0.905]]]]";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-cxr-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private CxrReportGenModel LoadDemo(string? dark = null, string? bright = null, bool scripted = true) =>
        (CxrReportGenModel)ModelLoader.Load(CxrReportGenDemoPackage.Write(_dir, darkFindings: dark, brightFindings: bright, scripted: scripted));

    private static string Request(byte[] frontal, string paramsJson = "{}") =>
        "{\"input_data\": {\"columns\": [\"frontal_image\"], \"data\": [[\"" + Convert.ToBase64String(frontal) + "\"]]}, \"params\": " + paramsJson + "}";

    private static async Task<ScoringResult> ScoreAsync(IScoringModel model, string json)
    {
        using var frame = ScoringFrameParser.TryParse(Encoding.UTF8.GetBytes(json), out string error) ?? throw new InvalidOperationException(error);
        return await model.ScoreAsync(frame, TestContext.Current.CancellationToken);
    }

    private static async Task<string> OutputAsync(IScoringModel model, string json)
    {
        var result = await ScoreAsync(model, json);
        Assert.True(result.StatusCode == 200, Encoding.UTF8.GetString(result.Body));
        using var document = JsonDocument.Parse(result.Body);
        Assert.Equal(1, document.RootElement.GetArrayLength());
        return document.RootElement[0].GetProperty("output").GetString()!;
    }

    [Fact]
    public async Task ScoreAsync_DarkFrontal_EmitsTheScriptedGroundedFindings()
    {
        using var model = LoadDemo();
        Assert.Equal(DarkOutput, await OutputAsync(model, Request(CxrTestImages.Dark())));
    }

    [Fact]
    public async Task ScoreAsync_BrightFrontal_EmitsTheOtherFindings()
    {
        using var model = LoadDemo();
        Assert.Equal(BrightOutput, await OutputAsync(model, Request(CxrTestImages.Bright())));
    }
}
