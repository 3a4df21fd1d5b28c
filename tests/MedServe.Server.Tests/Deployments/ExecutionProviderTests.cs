using System.Net;
using System.Text.Json;
using MedServe.Models.Demo;
using MedServe.Server.Configuration;
using Microsoft.ML.OnnxRuntime;

namespace MedServe.Server.Tests.Deployments;

/// <summary>
/// Provider selection through the real server: a deployment that asks for a provider this build lacks
/// fails with the reason, and the endpoint's other deployments keep serving.
/// </summary>
public sealed class ExecutionProviderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-provider-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static bool BuildHasCuda() => OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider", StringComparer.Ordinal);

    [Fact]
    public async Task CreateDeployment_CudaInACpuBuild_IsFailedNamingProviderBuildPropertyAndInstallWhileOthersServe()
    {
        Assert.SkipWhen(BuildHasCuda(), "this build of ONNX Runtime has the CUDA provider");
        string package = DemoPackages.WriteMedImageInsight(Path.Combine(_dir, "medimageinsight"), embeddingDim: 8);
        await using var host = await DeploymentHost.StartAsync();
        var keys = await host.BlueGreenAsync("gpu", 100, 0);
        var failed = await host.CreateDeploymentAsync(DeploymentHost.Deployment("gpu", "cuda", package) with
        {
            ExecutionProvider = DeploymentSessionSettings.Cuda,
            DeviceId = 1,
        });

        Assert.Equal("Failed", failed.ProvisioningState);
        Assert.False(failed.Ready);
        string reason = failed.FailureReason!;
        Assert.StartsWith("the execution provider is not available: execution_provider 'cuda' needs ONNX Runtime's CUDAExecutionProvider, which this build does not have (it has: ", reason, StringComparison.Ordinal);
        Assert.EndsWith("). Build MedServe with -p:MedServeOrtPackage=gpu from a NuGet feed that serves Microsoft.ML.OnnxRuntime.Gpu, install the NVIDIA driver, CUDA 12 and cuDNN 9, or set execution_provider: cpu", reason, StringComparison.Ordinal);

        var shown = await host.Admin.GetAsync("/management/endpoints/gpu/deployments/cuda", DeploymentHost.Token);
        using (var json = JsonDocument.Parse(await shown.Content.ReadAsStringAsync(DeploymentHost.Token)))
        {
            Assert.Equal("Failed", json.RootElement.GetProperty("provisioning_state").GetString());
            Assert.Equal(reason, json.RootElement.GetProperty("failure_reason").GetString());
            Assert.Equal("cuda", json.RootElement.GetProperty("spec").GetProperty("execution_provider").GetString());
            Assert.Equal(1, json.RootElement.GetProperty("spec").GetProperty("device_id").GetInt32());
        }

        using var client = host.Client(keys.PrimaryKey);
        var served = await client.PostAsync("/endpoints/gpu/score", DeploymentHost.Text(), DeploymentHost.Token);
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(served));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.Client().GetAsync("/v2/models/cuda/ready", DeploymentHost.Token)).StatusCode);
    }

    [Fact]
    public async Task CreateDeployment_CpuWithEverySessionKey_LoadsAndServesTheRealPackage()
    {
        string package = DemoPackages.WriteMedImageInsight(Path.Combine(_dir, "medimageinsight"), embeddingDim: 8);
        await using var host = await DeploymentHost.StartAsync();
        var keys = await host.CreateEndpointAsync(new EndpointSpec { Name = "tuned" });
        var ready = await host.CreateDeploymentAsync(DeploymentHost.Deployment("tuned", "cpu", package) with
        {
            IntraOpThreads = 1,
            InterOpThreads = 1,
            ExecutionMode = DeploymentSessionSettings.Parallel,
            GraphOptimizationLevel = "disable",
            EnableCpuMemArena = false,
            EnableMemoryPattern = false,
        }, allTraffic: true);
        Assert.True(ready.Ready, ready.FailureReason);
        Assert.Equal("disable", ready.Spec.GraphOptimizationLevel);

        using var client = host.Client(keys.PrimaryKey);
        var response = await client.PostAsync("/endpoints/tuned/score", DeploymentHost.Text(), DeploymentHost.Token);
        string body = await response.Content.ReadAsStringAsync(DeploymentHost.Token);
        Assert.True(response.IsSuccessStatusCode, body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(8, json.RootElement[0].GetProperty("text_features").GetArrayLength());
    }

    [Fact]
    public async Task CreateDeployment_UnknownProviderOrMode_Is400NamingTheKey()
    {
        await using var host = await DeploymentHost.StartAsync();
        await host.CreateEndpointAsync(new EndpointSpec { Name = "tuned" });
        var spec = DeploymentHost.Deployment("tuned", "blue") with { ExecutionProvider = "rocm", ExecutionMode = "eager" };
        var response = await host.Admin.PostAsync("/management/endpoints/tuned/deployments",
            DeploymentHost.Json(spec, Management.ManagementJsonContext.Default.DeploymentSpec), DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string message = await DeploymentHost.MessageAsync(response);
        Assert.Contains("execution_provider: 'rocm' is not one of cpu, cuda", message, StringComparison.Ordinal);
        Assert.Contains("execution_mode: 'eager' is not one of sequential, parallel", message, StringComparison.Ordinal);
    }
}
