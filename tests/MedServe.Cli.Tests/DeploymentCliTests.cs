using System.Text.Json;
using MedServe.Models.Demo;

namespace MedServe.Cli.Tests;

/// <summary>
/// <c>medserve endpoint|deployment|audit</c> against a real server (<c>serve --state</c>) with a real
/// demo package: create, update, show, list, delete, credentials, key regeneration, restart persistence.
/// </summary>
public sealed class DeploymentCliTests : IDisposable
{
    private const string AdminKey = "cli-admin-key-0123456789";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-cli-deploy-" + Guid.NewGuid().ToString("N"));

    public DeploymentCliTests()
    {
        Directory.CreateDirectory(_dir);
        DemoPackages.WriteMedImageInsight(Path.Combine(_dir, "packages", "medimageinsight"));
        Write("endpoint.yml", "name: chest\nauth_mode: key\ndescription: chest clinic\n");
        Write("endpoint-dark.yml", "name: chest\nauth_mode: key\ntraffic:\n  blue: 0\n");
        Write("blue.yml", """
            name: blue
            endpoint_name: chest
            model:
              path: ./packages/medimageinsight
            instance_count: 1
            request_settings:
              request_timeout_ms: 90000
              max_concurrent_requests_per_instance: 2
            """);
        Write("request.json", "{\"input_data\": {\"columns\": [\"text\"], \"index\": [0], \"data\": [[\"x-ray chest anteroposterior Atelectasis.\"]]}}");
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private string Write(string name, string content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private string P(string name) => Path.Combine(_dir, name);

    private Task<RunningServer> ServeAsync() =>
        CliRunner.StartAsync("serve", "--port", "0", "--state", P("state.db"), "--admin-key", AdminKey);

    private static Task<(int ExitCode, string Output, string Error)> Manage(RunningServer server, params string[] args) =>
        CliRunner.RunAsync([.. args, "--url", server.Address.ToString(), "--admin-key", AdminKey]);

    private static JsonElement Json(string output) => JsonDocument.Parse(output).RootElement.Clone();

    private async Task<int> InvokeAsync(RunningServer server, string key)
    {
        var (code, _, _) = await CliRunner.RunAsync("invoke", "--url", new Uri(server.Address, "/endpoints/chest/score").ToString(), "--key", key, "--request-file", P("request.json"));
        return code;
    }

    [Fact]
    public async Task EndpointAndDeployment_FullLifecycleThroughTheCli_RoundTripsAndSurvivesRestart()
    {
        string primary;
        string secondary;
        string since = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O");
        await using (var server = await ServeAsync())
        {
            Assert.Contains($"Admin key:    {AdminKey}", server.Output, StringComparison.Ordinal);
            var created = await Manage(server, "endpoint", "create", "-f", P("endpoint.yml"));
            Assert.True(created.ExitCode == 0, created.Error);
            var view = Json(created.Output);
            Assert.Equal("chest", view.GetProperty("name").GetString());
            Assert.Equal("/endpoints/chest/score", view.GetProperty("scoring_uri").GetString());
            primary = view.GetProperty("keys").GetProperty("primaryKey").GetString()!;
            secondary = view.GetProperty("keys").GetProperty("secondaryKey").GetString()!;

            var deployed = await Manage(server, "deployment", "create", "-f", P("blue.yml"), "--all-traffic");
            Assert.True(deployed.ExitCode == 0, deployed.Error);
            var deployment = Json(deployed.Output);
            Assert.Equal("Succeeded", deployment.GetProperty("provisioning_state").GetString());
            Assert.True(deployment.GetProperty("ready").GetBoolean());
            Assert.Equal("medimageinsight", deployment.GetProperty("model_name").GetString());
            Assert.Equal(4, deployment.GetProperty("in_flight_limit").GetInt32());
            Assert.Equal(Path.Combine(_dir, "packages", "medimageinsight"), deployment.GetProperty("spec").GetProperty("model").GetString());
            Assert.Equal(0, await InvokeAsync(server, primary));

            var shown = Json((await Manage(server, "endpoint", "show", "chest")).Output);
            Assert.Equal(100, shown.GetProperty("traffic").GetProperty("blue").GetInt32());
            Assert.False(shown.TryGetProperty("keys", out _));
            Assert.Equal(["chest"], Json((await Manage(server, "endpoint", "list")).Output).EnumerateArray().Select(e => e.GetProperty("name").GetString()));
            Assert.Equal(["blue"], Json((await Manage(server, "deployment", "list", "-e", "chest")).Output).EnumerateArray().Select(e => e.GetProperty("spec").GetProperty("name").GetString()));
            Assert.True(Json((await Manage(server, "deployment", "show", "-f", P("blue.yml"))).Output).GetProperty("ready").GetBoolean());

            var credentials = Json((await Manage(server, "endpoint", "get-credentials", "chest")).Output);
            Assert.Equal(primary, credentials.GetProperty("primaryKey").GetString());
            var regenerated = Json((await Manage(server, "endpoint", "regenerate-keys", "chest", "--key-type", "secondary")).Output);
            Assert.Equal(primary, regenerated.GetProperty("primaryKey").GetString());
            Assert.NotEqual(secondary, regenerated.GetProperty("secondaryKey").GetString());
            Assert.Equal(1, await InvokeAsync(server, secondary));
            secondary = regenerated.GetProperty("secondaryKey").GetString()!;
            Assert.Equal(0, await InvokeAsync(server, secondary));

            var audit = await Manage(server, "audit", "--endpoint", "chest", "--since", since);
            Assert.Equal(0, audit.ExitCode);
            var records = Json(audit.Output).EnumerateArray().ToList();
            Assert.Equal(["key:primary", "unauthenticated", "key:secondary"], records.Select(r => r.GetProperty("caller").GetString()));
            Assert.Equal([200, 401, 200], records.Select(r => r.GetProperty("status").GetInt32()));
            Assert.DoesNotContain(primary, audit.Output, StringComparison.Ordinal);
            Assert.Equal(0, await server.StopAsync());
        }

        await using (var restarted = await ServeAsync())
        {
            Assert.Contains("Endpoint:     " + new Uri(restarted.Address, "/endpoints/chest/score"), restarted.Output, StringComparison.Ordinal);
            var ready = await Manage(restarted, "deployment", "update", "-f", P("blue.yml"));
            Assert.True(ready.ExitCode == 0, ready.Error);
            Assert.Equal(0, await InvokeAsync(restarted, primary));
            Assert.Equal(0, await InvokeAsync(restarted, secondary));
            Assert.Equal(5, Json((await Manage(restarted, "audit", "--endpoint", "chest")).Output).GetArrayLength());

            Assert.Equal(0, (await Manage(restarted, "endpoint", "update", "-f", P("endpoint-dark.yml"))).ExitCode);
            Assert.Equal(1, await InvokeAsync(restarted, primary));
            Assert.Equal(0, (await Manage(restarted, "deployment", "delete", "blue", "--endpoint-name", "chest")).ExitCode);
            var deleted = await Manage(restarted, "endpoint", "delete", "chest");
            Assert.Equal(0, deleted.ExitCode);
            Assert.Equal("[]", Json((await Manage(restarted, "endpoint", "list")).Output).ToString());
            var gone = await Manage(restarted, "endpoint", "show", "chest");
            Assert.Equal(1, gone.ExitCode);
            Assert.Contains("error: the server answered 404: no endpoint named 'chest'", gone.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Serve_ConfigNamesEndpointAndDeploymentFiles_ServesThemAndKeepsKeysOnRestart()
    {
        Write("endpoint-live.yml", "name: chest\nauth_mode: key\ntraffic:\n  blue: 100\n");
        string config = Write("server.json", $$"""
            {"port": 0, "state": "state.db", "admin_key": "{{AdminKey}}", "endpoints": ["endpoint-live.yml"], "deployments": ["blue.yml"]}
            """);
        string key;
        await using (var server = await CliRunner.StartAsync("serve", "--config", config))
        {
            await WaitReadyAsync(server);
            key = Json((await Manage(server, "endpoint", "get-credentials", "chest")).Output).GetProperty("primaryKey").GetString()!;
            Assert.Equal(0, await InvokeAsync(server, key));
            Assert.Equal(0, await server.StopAsync());
        }

        await using (var again = await CliRunner.StartAsync("serve", "--config", config))
        {
            await WaitReadyAsync(again);
            Assert.Equal(0, await InvokeAsync(again, key));
            var shown = Json((await Manage(again, "endpoint", "show", "chest")).Output);
            Assert.Equal(100, shown.GetProperty("traffic").GetProperty("blue").GetInt32());
        }

        Write("orphan.yml", "name: green\nendpoint_name: elsewhere\nmodel: ./packages/medimageinsight\n");
        string bad = Write("bad.json", """{"port": 0, "deployments": ["orphan.yml"]}""");
        var (code, _, error) = await CliRunner.RunAsync("serve", "--config", bad);
        Assert.Equal(2, code);
        Assert.Contains("  - elsewhere/green: no endpoint named 'elsewhere'; create the endpoint first", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeploymentCreate_SessionKeysAndCudaInACpuBuild_TunedServesAndShowSaysWhyCudaFailed()
    {
        Assert.SkipWhen(Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider", StringComparer.Ordinal),
            "this build of ONNX Runtime has the CUDA provider");
        Write("tuned.yml", """
            name: blue
            endpoint_name: chest
            model: ./packages/medimageinsight
            intra_op_threads: 1
            inter_op_threads: 1
            execution_mode: parallel
            graph_optimization_level: basic
            enable_cpu_mem_arena: false
            enable_memory_pattern: false
            """);
        Write("gpu.yml", "name: gpu\nendpoint_name: chest\nmodel: ./packages/medimageinsight\nexecution_provider: cuda\ndevice_id: 0\n");
        await using var server = await ServeAsync();
        string key = Json((await Manage(server, "endpoint", "create", "-f", P("endpoint.yml"))).Output).GetProperty("keys").GetProperty("primaryKey").GetString()!;

        var tuned = await Manage(server, "deployment", "create", "-f", P("tuned.yml"), "--all-traffic");
        Assert.True(tuned.ExitCode == 0, tuned.Error);
        var tunedView = Json(tuned.Output);
        Assert.Equal("Succeeded", tunedView.GetProperty("provisioning_state").GetString());
        Assert.Equal("basic", tunedView.GetProperty("spec").GetProperty("graph_optimization_level").GetString());
        Assert.False(tunedView.GetProperty("spec").GetProperty("enable_cpu_mem_arena").GetBoolean());

        var gpu = await Manage(server, "deployment", "create", "-f", P("gpu.yml"));
        Assert.True(gpu.ExitCode == 0, gpu.Error);
        var shown = await Manage(server, "deployment", "show", "-f", P("gpu.yml"));
        Assert.Equal(0, shown.ExitCode);
        var view = Json(shown.Output);
        Assert.Equal("Failed", view.GetProperty("provisioning_state").GetString());
        Assert.False(view.GetProperty("ready").GetBoolean());
        string reason = view.GetProperty("failure_reason").GetString()!;
        Assert.StartsWith("the execution provider is not available: execution_provider 'cuda' needs ONNX Runtime's CUDAExecutionProvider", reason, StringComparison.Ordinal);
        Assert.Contains("-p:MedServeOrtPackage=gpu", reason, StringComparison.Ordinal);
        Assert.Contains("CUDA 12 and cuDNN 9", reason, StringComparison.Ordinal);
        Assert.Equal(0, await InvokeAsync(server, key));
    }

    /// <summary>Awaits the readiness probe (bounded; the deployments load in the background).</summary>
    private static async Task WaitReadyAsync(RunningServer server)
    {
        using var client = new HttpClient { BaseAddress = server.Address };
        for (int i = 0; i < 600; i++)
        {
            if ((await client.GetAsync("/v2/health/ready", TestContext.Current.CancellationToken)).IsSuccessStatusCode)
            {
                return;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Fail("the server did not become ready");
    }

    [Fact]
    public async Task Management_ScoringKeyAsAdminKey_IsRefusedWithExitOne()
    {
        await using var server = await ServeAsync();
        var created = Json((await Manage(server, "endpoint", "create", "-f", P("endpoint.yml"))).Output);
        string key = created.GetProperty("keys").GetProperty("primaryKey").GetString()!;
        var (code, _, error) = await CliRunner.RunAsync("endpoint", "list", "--url", server.Address.ToString(), "--admin-key", key);
        Assert.Equal(1, code);
        Assert.Contains("error: the server answered 401: invalid admin key", error, StringComparison.Ordinal);
        var (noKey, _, noKeyError) = await CliRunner.RunAsync("endpoint", "list", "--url", server.Address.ToString());
        Assert.Equal(Environment.GetEnvironmentVariable("MEDSERVE_ADMIN_KEY") is null ? 2 : 1, noKey);
        Assert.Contains("error: ", noKeyError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndpointCreate_InvalidYaml_ExitsTwoListingEveryProblem()
    {
        string bad = Write("bad.yml", "name: chest\nauth_mode: password\ntraffic:\n  blue: lots\n");
        var (code, _, error) = await CliRunner.RunAsync("endpoint", "create", "-f", bad, "--admin-key", AdminKey, "--url", "http://127.0.0.1:1");
        Assert.Equal(2, code);
        Assert.Contains("error: bad.yml was refused:", error, StringComparison.Ordinal);
        Assert.Contains("  - bad.yml: auth_mode: 'password' is not one of key, aml_token, aad_token", error, StringComparison.Ordinal);
        Assert.Contains("  - bad.yml: traffic.blue: must be a whole percentage, not 'lots'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeploymentCreate_RefusedPackage_ShowsFailedWithTheReason()
    {
        string package = Path.Combine(_dir, "packages", "medimageinsight");
        File.AppendAllBytes(Path.Combine(package, "text_encoder.onnx"), [0]);
        await using var server = await ServeAsync();
        Assert.Equal(0, (await Manage(server, "endpoint", "create", "-f", P("endpoint.yml"))).ExitCode);
        var created = await Manage(server, "deployment", "create", "-f", P("blue.yml"));
        Assert.Equal(0, created.ExitCode);
        var shown = Json((await Manage(server, "deployment", "show", "blue", "-e", "chest")).Output);
        Assert.Equal("Failed", shown.GetProperty("provisioning_state").GetString());
        Assert.StartsWith("the model package was refused: text_encoder.onnx: SHA-256 is ", shown.GetProperty("failure_reason").GetString(), StringComparison.Ordinal);
    }
}
