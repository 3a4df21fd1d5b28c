using System.Net;
using System.Text;
using System.Text.Json;
using MedServe.Models.Demo;
using MedServe.Models.Tests.CxrReportGen;
using MedServe.Onnx;
using MedServe.Server.Configuration;
using MedServe.Server.Tests.Deployments;

namespace MedServe.Server.Tests.CxrReportGen;

/// <summary>
/// CXRReportGen deployments through the real server: a float16 package answers what its float32 twin
/// does, and a request whose deadline arrives while tokens are being generated is answered 408 with its
/// generation stopped.
/// </summary>
public sealed class CxrDeploymentTests : IDisposable
{
    private const string Endpoint = "cxr";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "medserve-cxr-deploy-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static string Study(byte[] frontal, byte[]? lateral = null) =>
        "{\"input_data\": {\"columns\": [\"frontal_image\", \"lateral_image\", \"indication\"], \"data\": [[\""
        + Convert.ToBase64String(frontal) + "\", " + (lateral is null ? "null" : "\"" + Convert.ToBase64String(lateral) + "\"") + ", \"Cough.\"]]}}";

    private static async Task<string> ScoreAsync(HttpClient client, string body, string? deployment = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/endpoints/{Endpoint}/score") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (deployment is not null)
        {
            request.Headers.Add("azureml-model-deployment", deployment);
        }

        var response = await client.SendAsync(request, DeploymentHost.Token);
        string text = await response.Content.ReadAsStringAsync(DeploymentHost.Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.Equal(deployment ?? "blue", response.Headers.GetValues("azureml-model-deployment").Single());
        return text;
    }

    [Fact]
    public async Task Score_Float16Deployment_GivesTheFloat32DeploymentsFindings()
    {
        string fp32 = CxrReportGenDemoPackage.Write(Path.Combine(_root, "fp32"));
        string fp16 = CxrReportGenDemoPackage.Write(Path.Combine(_root, "fp16"), floatType: OnnxElementType.Float16);
        await using var host = await DeploymentHost.StartAsync();
        var keys = await host.CreateEndpointAsync(new EndpointSpec { Name = Endpoint });
        var single = await host.CreateDeploymentAsync(DeploymentHost.Deployment(Endpoint, "single", fp32), allTraffic: true);
        Assert.True(single.Ready, single.FailureReason);
        var half = await host.CreateDeploymentAsync(DeploymentHost.Deployment(Endpoint, "half", fp16));
        Assert.True(half.Ready, half.FailureReason);
        using var client = host.Client(keys.PrimaryKey);

        var answers = new List<string>();
        foreach (string study in new[] { Study(CxrTestImages.Dark()), Study(CxrTestImages.Bright(), CxrTestImages.Bright(56, 40)) })
        {
            string expected = await ScoreAsync(client, study, "single");
            Assert.Equal(expected, await ScoreAsync(client, study, "half"));
            answers.Add(expected);
        }

        // Dark and bright studies take different scripts: equal answers are not one fixed string.
        Assert.NotEqual(answers[0], answers[1]);
        Assert.Contains("Median sternotomy wires are present.", answers[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_DeadlineArrivesWhileGenerating_Returns408StopsTheGenerationAndServesTheNextRequest()
    {
        // A dark study's script never reaches an EOS (its one token repeats) and may run to 50,000 tokens: minutes
        // of decoding. A bright study's script is one finding and <|end|>.
        string package = CxrTestPackages.WriteScripted(Path.Combine(_root, "endless"), tokenizer =>
        {
            var finding = tokenizer.Encode("<obj>The lungs are clear.</obj>");
            int[] endless = [finding[^1]];
            return (endless, [.. finding.Skip(finding[0] == tokenizer.BeginOfSentenceId ? 1 : 0), tokenizer.AddedTokens["<|end|>"]]);
        }, maxNewTokens: 50_000);
        await using var host = await DeploymentHost.StartAsync();
        var keys = await host.CreateEndpointAsync(new EndpointSpec { Name = Endpoint });
        var deployment = DeploymentHost.Deployment(Endpoint, "blue", package) with
        {
            RequestSettings = new RequestSettings { RequestTimeoutMs = 1000, MaxConcurrentRequestsPerInstance = 1 },
            Batching = new BatchingSettings { Enabled = false },
        };
        var view = await host.CreateDeploymentAsync(deployment, allTraffic: true);
        Assert.True(view.Ready, view.FailureReason);
        using var client = host.Client(keys.PrimaryKey);

        var pending = client.PostAsync($"/endpoints/{Endpoint}/score", new StringContent(Study(CxrTestImages.Dark()), Encoding.UTF8, "application/json"), DeploymentHost.Token);
        // 10 ms of the server's fake clock per 5 ms waited: the deadline comes about half a second in, long
        // after decoding and the vision run (milliseconds) and long before the generation could end.
        host.AdvanceOnThreadUntil(pending, TimeSpan.FromMilliseconds(10));
        var response = await pending;

        // The handler answers once the model's work has ended, so the 408 itself shows the generation stopped.
        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.Equal("the request ran longer than deployment 'blue''s request_timeout_ms (1000 ms); its work was cancelled", await DeploymentHost.MessageAsync(response));

        // The one instance is free again and answers a bright study.
        string next = await ScoreAsync(client, Study(CxrTestImages.Bright()));
        using var rows = JsonDocument.Parse(next);
        Assert.Equal("[[\"The lungs are clear.\", null]]", rows.RootElement[0].GetProperty("output").GetString());
    }
}
