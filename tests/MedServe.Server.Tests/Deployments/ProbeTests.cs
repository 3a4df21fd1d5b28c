using System.Net;
using System.Text.Json;
using MedServe.Server.Configuration;

namespace MedServe.Server.Tests.Deployments;

/// <summary>Liveness always; readiness only after the model is loaded and warmed up; the Open Inference Protocol routes.</summary>
public sealed class ProbeTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path, DeploymentHost.Token);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(DeploymentHost.Token));
        return (response.StatusCode, json.RootElement.Clone());
    }

    [Fact]
    public async Task Readiness_BeforeAndAfterLoad_TurnsTrueOnlyOnceLoadedAndWarmedUp()
    {
        await using var host = await DeploymentHost.StartAsync();
        var keys = await host.CreateEndpointAsync(new EndpointSpec { Name = "probed" });
        using var anonymous = host.Client();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(anonymous, "/v2/health/ready")).Status);

        host.HoldLoads();
        var create = await host.Admin.PostAsync("/management/endpoints/probed/deployments?all_traffic=true",
            DeploymentHost.Json(DeploymentHost.Deployment("probed", "blue", "gate:blue"), Server.Management.ManagementJsonContext.Default.DeploymentSpec), DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);

        var live = await GetAsync(anonymous, "/v2/health/live");
        Assert.Equal(HttpStatusCode.OK, live.Status);
        Assert.True(live.Body.GetProperty("live").GetBoolean());
        Assert.Equal("Healthy", await anonymous.GetStringAsync("/", DeploymentHost.Token));
        var ready = await GetAsync(anonymous, "/v2/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        Assert.False(ready.Body.GetProperty("ready").GetBoolean());
        var model = await GetAsync(anonymous, "/v2/models/blue/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, model.Status);
        Assert.Equal("blue", model.Body.GetProperty("name").GetString());
        Assert.False(model.Body.GetProperty("ready").GetBoolean());

        using var client = host.Client(keys.PrimaryKey);
        var loading = await client.PostAsync("/endpoints/probed/score", DeploymentHost.Text(), DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, loading.StatusCode);
        Assert.Equal("deployment 'blue' of endpoint 'probed' is not ready yet (its model is loading)", await DeploymentHost.MessageAsync(loading));

        host.ReleaseLoads();
        await host.Registry.WhenSettledAsync();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(anonymous, "/v2/health/ready")).Status);
        var after = await GetAsync(anonymous, "/v2/models/blue/ready");
        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.True(after.Body.GetProperty("ready").GetBoolean());
        Assert.Equal(0, host.Model("blue").Calls); // the warm-up is not a scoring call
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await client.PostAsync("/endpoints/probed/score", DeploymentHost.Text(), DeploymentHost.Token)));

        var unknown = await anonymous.GetAsync("/v2/models/nothing/ready", DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("no deployment named 'nothing'", await DeploymentHost.MessageAsync(unknown));
    }
}
