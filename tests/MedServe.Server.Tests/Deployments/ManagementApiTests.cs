using System.Net;
using System.Text;
using System.Text.Json;
using MedServe.Server.Configuration;
using MedServe.Server.Hosting;
using MedServe.Server.Management;

namespace MedServe.Server.Tests.Deployments;

/// <summary>The management API: admin-only, validated, key rotation, failed deployments, state that survives a restart.</summary>
public sealed class ManagementApiTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-mgmt-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static Task<HttpResponseMessage> ScoreAsync(HttpClient client, string endpoint) =>
        client.PostAsync($"/endpoints/{endpoint}/score", DeploymentHost.Text(), DeploymentHost.Token);

    [Fact]
    public async Task Management_ScoringKeyOrNoKey_Returns401AndAdminKeyCannotScore()
    {
        await using var host = await DeploymentHost.StartAsync();
        var keys = await host.BlueGreenAsync("guarded", 100, 0);
        foreach (string? credential in new[] { keys.PrimaryKey, keys.SecondaryKey, null })
        {
            using var client = host.Client(credential);
            var list = await client.GetAsync("/management/endpoints", DeploymentHost.Token);
            Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
            var create = await client.PostAsync("/management/endpoints", DeploymentHost.Json(new EndpointSpec { Name = "intruder" }, ManagementJsonContext.Default.EndpointSpec), DeploymentHost.Token);
            Assert.Equal(HttpStatusCode.Unauthorized, create.StatusCode);
            var credentials = await client.PostAsync("/management/endpoints/guarded/list-keys", null, DeploymentHost.Token);
            Assert.Equal(HttpStatusCode.Unauthorized, credentials.StatusCode);
            string message = await DeploymentHost.MessageAsync(credentials);
            Assert.Equal(credential is null ? "missing Authorization header; send 'Authorization: Bearer <key>'"
                : "invalid admin key: the management API needs the server's admin key, not an endpoint key or token", message);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await ScoreAsync(host.Admin, "guarded")).StatusCode);
        Assert.DoesNotContain("intruder", host.Registry.Names);
        using var scorer = host.Client(keys.PrimaryKey);
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await ScoreAsync(scorer, "guarded")));
    }

    [Theory]
    [InlineData("{\"name\": \"x\"}", "name: 'x' is not a valid name (3 to 32 characters: a letter first, then letters, digits or '-')")]
    [InlineData("{\"name\": \"okay\", \"auth_mode\": \"password\"}", "auth_mode: 'password' is not one of key, aml_token, aad_token")]
    [InlineData("{\"name\": \"okay\", \"traffic\": {\"blue\": 60}}", "traffic: the weights add up to 60; they must add up to 100 (or 0 for no live traffic)")]
    [InlineData("{\"name\": \"okay\", \"traffic\": {\"blue\": 100}}", "traffic: endpoint 'okay' has no deployment named 'blue'; create the deployment first, then 'endpoint update'")]
    [InlineData("{\"name\": \"okay\", \"auth_mode\": \"aad_token\"}", "auth_mode: aad_token needs the server's aad issuer, audience and signing keys (see docs/deployment.md)")]
    [InlineData("{\"name\": \"okay\", \"colour\": \"blue\"}", "the body is not a valid endpoint: ")]
    [InlineData("not json", "the body is not a valid endpoint: ")]
    public async Task CreateEndpoint_Invalid_Returns400NamingTheKeyAndKeepsServing(string body, string expected)
    {
        await using var host = await DeploymentHost.StartAsync();
        var response = await host.Admin.PostAsync("/management/endpoints", new StringContent(body, Encoding.UTF8, "application/json"), DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(expected, await DeploymentHost.MessageAsync(response), StringComparison.Ordinal);
        Assert.Empty(host.Registry.Names);
        var keys = await host.BlueGreenAsync("okay", 100, 0);
        using var client = host.Client(keys.PrimaryKey);
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await ScoreAsync(client, "okay")));
    }

    [Fact]
    public async Task CreateDeployment_PartialJson_LeftOutAndNullKeysTakeTheDefaults()
    {
        await using var host = await DeploymentHost.StartAsync();
        await host.CreateEndpointAsync(new EndpointSpec { Name = "partial" });
        var response = await host.Admin.PostAsync("/management/endpoints/partial/deployments?wait=true", new StringContent(
            """{"name": "blue", "endpoint_name": "partial", "model": "fake:blue", "request_settings": {"request_timeout_ms": 90000}, "liveness_probe": null, "traffic_share": null}""",
            Encoding.UTF8, "application/json"), DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("the body is not a valid deployment: ", await DeploymentHost.MessageAsync(response), StringComparison.Ordinal);

        response = await host.Admin.PostAsync("/management/endpoints/partial/deployments?wait=true", new StringContent(
            """{"name": "blue", "endpoint_name": "partial", "model": "fake:blue", "request_settings": {"request_timeout_ms": 90000}, "liveness_probe": null}""",
            Encoding.UTF8, "application/json"), DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var view = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(DeploymentHost.Token), ManagementJsonContext.Default.DeploymentView)!;
        Assert.Equal(new RequestSettings { RequestTimeoutMs = 90000 }, view.Spec.RequestSettings);
        Assert.Equal(new ProbeSettings(), view.Spec.LivenessProbe);
        Assert.Equal(1, view.Spec.InstanceCount);
        Assert.Equal("cpu", view.Spec.ExecutionProvider);
        Assert.True(view.Ready);
        Assert.Equal(2, view.InFlightLimit);
    }

    [Fact]
    public async Task CreateAndDelete_ConflictsAndMissing_Return409And404()
    {
        await using var host = await DeploymentHost.StartAsync();
        await host.BlueGreenAsync("taken", 100, 0);
        var again = await host.Admin.PostAsync("/management/endpoints", DeploymentHost.Json(new EndpointSpec { Name = "taken" }, ManagementJsonContext.Default.EndpointSpec), DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("endpoint 'taken' already exists; use 'endpoint update'", await DeploymentHost.MessageAsync(again));

        var duplicate = await host.Admin.PostAsync("/management/endpoints/taken/deployments",
            DeploymentHost.Json(DeploymentHost.Deployment("taken", "blue"), ManagementJsonContext.Default.DeploymentSpec), DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);

        var live = await host.Admin.DeleteAsync("/management/endpoints/taken/deployments/blue", DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.Conflict, live.StatusCode);
        Assert.Equal("deployment 'blue' still receives 100% of endpoint 'taken''s traffic; set it to 0 with 'endpoint update' first", await DeploymentHost.MessageAsync(live));

        var idle = await host.Admin.DeleteAsync("/management/endpoints/taken/deployments/green", DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.OK, idle.StatusCode);
        Assert.Equal("deployment 'green' of endpoint 'taken' deleted", await DeploymentHost.MessageAsync(idle));
        Assert.True(host.Model("green").Disposed);

        var missing = await host.Admin.GetAsync("/management/endpoints/taken/deployments/green", DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var noEndpoint = await host.Admin.DeleteAsync("/management/endpoints/nowhere", DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.NotFound, noEndpoint.StatusCode);
        Assert.Equal("no endpoint named 'nowhere'", await DeploymentHost.MessageAsync(noEndpoint));
    }

    [Fact]
    public async Task RegenerateKeys_Primary_SecondaryKeepsWorkingAndNoRequestFails()
    {
        await using var host = await DeploymentHost.StartAsync();
        var keys = await host.BlueGreenAsync("rotate", 100, 0, adjust: d => d with { RequestSettings = new RequestSettings { MaxConcurrentRequestsPerInstance = 100 } });
        using var onSecondary = host.Client(keys.SecondaryKey);
        using var onOldPrimary = host.Client(keys.PrimaryKey);

        // Clients move to the secondary key, the primary is replaced while they score, clients move to the new primary.
        var traffic = Enumerable.Range(0, 40).Select(_ => ScoreAsync(onSecondary, "rotate")).ToList();
        var response = await host.Admin.PostAsync("/management/endpoints/rotate/regenerate-keys",
            new StringContent("{\"key_type\": \"primary\"}", Encoding.UTF8, "application/json"), DeploymentHost.Token);
        traffic.AddRange(Enumerable.Range(0, 40).Select(_ => ScoreAsync(onSecondary, "rotate")));
        foreach (var answer in await Task.WhenAll(traffic))
        {
            Assert.Equal("blue", await DeploymentHost.ServedByAsync(answer));
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rotated = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(DeploymentHost.Token), ManagementJsonContext.Default.EndpointKeys)!;
        Assert.NotEqual(keys.PrimaryKey, rotated.PrimaryKey);
        Assert.Equal(keys.SecondaryKey, rotated.SecondaryKey);
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await ScoreAsync(onSecondary, "rotate")));
        using var onNewPrimary = host.Client(rotated.PrimaryKey);
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await ScoreAsync(onNewPrimary, "rotate")));
        var old = await ScoreAsync(onOldPrimary, "rotate");
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);

        var credentials = await host.Admin.PostAsync("/management/endpoints/rotate/list-keys", null, DeploymentHost.Token);
        Assert.Equal(rotated, JsonSerializer.Deserialize(await credentials.Content.ReadAsStringAsync(DeploymentHost.Token), ManagementJsonContext.Default.EndpointKeys));

        var bad = await host.Admin.PostAsync("/management/endpoints/rotate/regenerate-keys",
            new StringContent("{\"key_type\": \"tertiary\"}", Encoding.UTF8, "application/json"), DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("key_type: 'tertiary' is not primary or secondary", await DeploymentHost.MessageAsync(bad));
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await ScoreAsync(onSecondary, "rotate")));
    }

    [Fact]
    public async Task CreateDeployment_PackageRefused_IsFailedWithTheReasonWhileOthersServe()
    {
        await using var host = await DeploymentHost.StartAsync();
        var keys = await host.BlueGreenAsync("mixed", 100, 0);
        var failed = await host.CreateDeploymentAsync(DeploymentHost.Deployment("mixed", "broken", "fail:medserve.json: SHA-256 mismatch of image_encoder.onnx"));
        Assert.Equal("Failed", failed.ProvisioningState);
        Assert.False(failed.Ready);
        Assert.Equal("the model package was refused: medserve.json: SHA-256 mismatch of image_encoder.onnx", failed.FailureReason);

        var shown = await host.Admin.GetAsync("/management/endpoints/mixed/deployments/broken", DeploymentHost.Token);
        using (var json = JsonDocument.Parse(await shown.Content.ReadAsStringAsync(DeploymentHost.Token)))
        {
            Assert.Equal("Failed", json.RootElement.GetProperty("provisioning_state").GetString());
            Assert.Equal(failed.FailureReason, json.RootElement.GetProperty("failure_reason").GetString());
        }

        using var client = host.Client(keys.PrimaryKey);
        using var pinned = new HttpRequestMessage(HttpMethod.Post, "/endpoints/mixed/score") { Content = DeploymentHost.Text() };
        pinned.Headers.Add("azureml-model-deployment", "broken");
        var refused = await client.SendAsync(pinned, DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("deployment 'broken' of endpoint 'mixed' failed to load; 'medserve deployment show' says why", await DeploymentHost.MessageAsync(refused));
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await ScoreAsync(client, "mixed")));
        Assert.Equal(HttpStatusCode.OK, (await host.Client().GetAsync("/v2/health/ready", DeploymentHost.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.Client().GetAsync("/v2/models/broken/ready", DeploymentHost.Token)).StatusCode);
    }

    [Fact]
    public async Task UpdateDeployment_NewModel_OldServesUntilTheNewHasLoaded()
    {
        await using var host = await DeploymentHost.StartAsync();
        var keys = await host.BlueGreenAsync("rolling", 100, 0);
        using var client = host.Client(keys.PrimaryKey);
        host.HoldLoads();
        var update = await host.Admin.PutAsync("/management/endpoints/rolling/deployments/blue",
            DeploymentHost.Json(DeploymentHost.Deployment("rolling", "blue", "gate:blue-v2"), ManagementJsonContext.Default.DeploymentSpec), DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        using (var json = JsonDocument.Parse(await update.Content.ReadAsStringAsync(DeploymentHost.Token)))
        {
            Assert.Equal("Updating", json.RootElement.GetProperty("provisioning_state").GetString());
        }

        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await ScoreAsync(client, "rolling")));
        host.ReleaseLoads();
        await host.Registry.WhenSettledAsync();
        Assert.Equal("blue-v2", await DeploymentHost.ServedByAsync(await ScoreAsync(client, "rolling")));
        Assert.True(host.Model("blue").Disposed);
    }

    [Fact]
    public async Task Restart_SameStateFile_ServesTheSameEndpointsKeysAndTraffic()
    {
        string state = Path.Combine(_dir, "state.db");
        EndpointKeys keys;
        await using (var first = await DeploymentHost.StartAsync(new ServerOptions { StatePath = state }))
        {
            keys = await first.BlueGreenAsync("durable", 0, 100);
            await first.StopAsync();
        }

        await using var second = await DeploymentHost.StartAsync(new ServerOptions { StatePath = state });
        await second.Registry.WhenSettledAsync();
        Assert.Equal(["durable"], second.Registry.Names);
        using var client = second.Client(keys.SecondaryKey);
        Assert.Equal("green", await DeploymentHost.ServedByAsync(await ScoreAsync(client, "durable")));
        var shown = await second.Admin.GetAsync("/management/endpoints/durable", DeploymentHost.Token);
        var view = JsonSerializer.Deserialize(await shown.Content.ReadAsStringAsync(DeploymentHost.Token), ManagementJsonContext.Default.EndpointView)!;
        Assert.Equal(100, view.Traffic["green"]);
        Assert.Equal(["blue", "green"], view.Deployments);
        Assert.Null(view.Keys);
        var credentials = await second.Admin.PostAsync("/management/endpoints/durable/list-keys", null, DeploymentHost.Token);
        Assert.Equal(keys, JsonSerializer.Deserialize(await credentials.Content.ReadAsStringAsync(DeploymentHost.Token), ManagementJsonContext.Default.EndpointKeys));
        static string Read(string path) => File.Exists(path) ? File.ReadAllText(path, Encoding.Latin1) : "";
        string stored = Read(state) + Read(state + "-wal");
        Assert.Contains("durable", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(keys.PrimaryKey, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(keys.SecondaryKey, stored, StringComparison.Ordinal);
    }
}
