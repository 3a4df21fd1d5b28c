using System.Text;
using System.Text.Json;
using MedServe.Models.Demo;
using MedServe.Onnx;
using MedServe.Server.Configuration;

namespace MedServe.Server.Tests.Deployments;

/// <summary>A float16 MedImageInsight package deployed beside its float32 twin answers the same request with the same embeddings, to float16 rounding.</summary>
public sealed class Float16DeploymentTests : IDisposable
{
    private const int Dim = 16;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-fp16-server-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static async Task<JsonElement> ScorePinnedAsync(HttpClient client, string deployment, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/endpoints/precision/score") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("azureml-model-deployment", deployment);
        var response = await client.SendAsync(request, DeploymentHost.Token);
        string text = await response.Content.ReadAsStringAsync(DeploymentHost.Token);
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Score_Float16Deployment_MatchesTheFloat32DeploymentWithinFloat16Rounding()
    {
        string fp32 = DemoPackages.WriteMedImageInsight(Path.Combine(_dir, "fp32"), Dim);
        string fp16 = DemoPackages.WriteMedImageInsight(Path.Combine(_dir, "fp16"), Dim, OnnxElementType.Float16);
        await using var host = await DeploymentHost.StartAsync();
        var keys = await host.CreateEndpointAsync(new EndpointSpec { Name = "precision" });
        Assert.True((await host.CreateDeploymentAsync(DeploymentHost.Deployment("precision", "single", fp32), allTraffic: true)).Ready);
        var half = await host.CreateDeploymentAsync(DeploymentHost.Deployment("precision", "half", fp16));
        Assert.True(half.Ready, half.FailureReason);

        string image = Convert.ToBase64String(TestImages.GradientPng());
        string body = "{\"input_data\": {\"columns\": [\"image\", \"text\"], \"data\": [[\"" + image + "\", \"right pleural effusion\"]]}}";
        using var client = host.Client(keys.PrimaryKey);
        var expected = await ScorePinnedAsync(client, "single", body);
        var actual = await ScorePinnedAsync(client, "half", body);

        float largest = 0;
        foreach (var (want, got) in new[]
        {
            (expected[0].GetProperty("image_features")[0], actual[0].GetProperty("image_features")[0]),
            (expected[0].GetProperty("text_features"), actual[0].GetProperty("text_features")),
        })
        {
            float[] w = [.. want.EnumerateArray().Select(e => e.GetSingle())];
            float[] g = [.. got.EnumerateArray().Select(e => e.GetSingle())];
            Assert.Equal(Dim, g.Length);
            for (int i = 0; i < Dim; i++)
            {
                Assert.Equal(w[i], g[i], 2e-3f);
                largest = Math.Max(largest, Math.Abs(w[i] - g[i]));
            }
        }

        // The pin reached the float16 deployment: its rounding shows (the float32 one would match exactly).
        Assert.True(largest > 0, "the float16 deployment answered exactly what the float32 one did");
    }
}
