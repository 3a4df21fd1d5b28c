using System.Net;
using MedServe.Server.Hosting;

namespace MedServe.Server.Tests.Deployments;

/// <summary>Many endpoints, the traffic split, header pinning, mirror traffic, per-endpoint keys, /score.</summary>
public sealed class RoutingTests
{
    private static Action<HttpRequestMessage> Pin(string deployment) => r => r.Headers.Add("azureml-model-deployment", deployment);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = DeploymentHost.Text() };
        configure?.Invoke(request);
        return await client.SendAsync(request, DeploymentHost.Token);
    }

    [Fact]
    public async Task Score_TrafficSplit70To30_ServesBothWithinStatisticalBounds()
    {
        await using var host = await DeploymentHost.StartAsync();
        var keys = await host.BlueGreenAsync("split", 70, 30);
        using var client = host.Client(keys.PrimaryKey);
        const int N = 400;
        int blue = 0;
        for (int i = 0; i < N; i++)
        {
            var response = await PostAsync(client, "/endpoints/split/score");
            string servedBy = await DeploymentHost.ServedByAsync(response);
            Assert.Equal(servedBy, response.Headers.GetValues("azureml-model-deployment").Single());
            blue += servedBy == "blue" ? 1 : 0;
        }

        // Binomial(400, 0.7): mean 280, sd 9.2; ±5 sd is 234–326 (a false failure about once in 3.5 million runs).
        Assert.InRange(blue, 234, 326);
        Assert.Equal(blue, host.Model("blue").Calls);
        Assert.Equal(N - blue, host.Model("green").Calls);
    }

    [Fact]
    public async Task Score_HeaderPinsDeploymentWithZeroTraffic_ServesThePinnedOne()
    {
        await using var host = await DeploymentHost.StartAsync();
        var keys = await host.BlueGreenAsync("pinned", 100, 0);
        using var client = host.Client(keys.PrimaryKey);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal("green", await DeploymentHost.ServedByAsync(await PostAsync(client, "/endpoints/pinned/score", Pin("green"))));
            Assert.Equal("blue", await DeploymentHost.ServedByAsync(await PostAsync(client, "/endpoints/pinned/score")));
        }

        var unknown = await PostAsync(client, "/endpoints/pinned/score", Pin("purple"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("endpoint 'pinned' has no deployment named 'purple'; its deployments are: blue, green", await DeploymentHost.MessageAsync(unknown));
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await PostAsync(client, "/endpoints/pinned/score")));
    }

    [Fact]
    public async Task Score_NoPositiveTraffic_Returns404ButPinStillServes()
    {
        await using var host = await DeploymentHost.StartAsync();
        var keys = await host.BlueGreenAsync("dark", 0, 0);
        using var client = host.Client(keys.PrimaryKey);
        var response = await PostAsync(client, "/endpoints/dark/score");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("endpoint 'dark' has no deployment with positive traffic; set traffic with 'endpoint update', or pin one with the azureml-model-deployment header",
            await DeploymentHost.MessageAsync(response));
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await PostAsync(client, "/endpoints/dark/score", Pin("blue"))));
    }

    [Fact]
    public async Task Score_EachEndpointHasItsOwnKeys_AnotherEndpointsKeyIsRefused()
    {
        await using var host = await DeploymentHost.StartAsync();
        var first = await host.BlueGreenAsync("first", 100, 0);
        var second = await host.BlueGreenAsync("second", 0, 100);
        Assert.NotEqual(first.PrimaryKey, second.PrimaryKey);
        Assert.NotEqual(first.PrimaryKey, first.SecondaryKey);

        using var firstClient = host.Client(first.SecondaryKey);
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await PostAsync(firstClient, "/endpoints/first/score")));
        var refused = await PostAsync(firstClient, "/endpoints/second/score");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("invalid key", await DeploymentHost.MessageAsync(refused));
        using var secondClient = host.Client(second.PrimaryKey);
        Assert.Equal("green", await DeploymentHost.ServedByAsync(await PostAsync(secondClient, "/endpoints/second/score")));
    }

    [Fact]
    public async Task Score_DefaultEndpointAtScore_IsTheConfiguredOne()
    {
        await using var host = await DeploymentHost.StartAsync(new ServerOptions { DefaultEndpoint = "chosen" });
        await host.BlueGreenAsync("other", 100, 0);
        var keys = await host.BlueGreenAsync("chosen", 0, 100);
        using var client = host.Client(keys.PrimaryKey);
        Assert.Equal("green", await DeploymentHost.ServedByAsync(await PostAsync(client, "/score")));
        Assert.Equal("chosen", host.Registry.DefaultName);
    }

    [Fact]
    public async Task Score_DefaultEndpointDeleted_TheOldestRemainingTakesOverScore()
    {
        await using var host = await DeploymentHost.StartAsync();
        var first = await host.BlueGreenAsync("first", 100, 0);
        var second = await host.BlueGreenAsync("second", 0, 100);
        Assert.Equal("first", host.Registry.DefaultName);
        using var firstClient = host.Client(first.PrimaryKey);
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await PostAsync(firstClient, "/score")));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.Admin.DeleteAsync("/management/endpoints/first", DeploymentHost.Token)).StatusCode);
        Assert.Equal("second", host.Registry.DefaultName);
        using var secondClient = host.Client(second.PrimaryKey);
        Assert.Equal("green", await DeploymentHost.ServedByAsync(await PostAsync(secondClient, "/score")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(firstClient, "/score")).StatusCode);
    }

    [Fact]
    public async Task Score_DefaultEndpointMissing_Returns404ListingTheEndpoints()
    {
        await using var host = await DeploymentHost.StartAsync(new ServerOptions { DefaultEndpoint = "missing" });
        var keys = await host.BlueGreenAsync("present", 100, 0);
        using var client = host.Client(keys.PrimaryKey);
        var response = await PostAsync(client, "/score");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("no endpoint named 'missing'; this server has: present", await DeploymentHost.MessageAsync(response));
        using var stranger = host.Client("not-a-key-of-any-endpoint");
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(stranger, "/score")).StatusCode);
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await PostAsync(client, "/endpoints/present/score")));
    }

    [Fact]
    public async Task Score_MirrorTraffic_CopiesToShadowWithoutChangingOrDelayingTheAnswer()
    {
        await using var host = await DeploymentHost.StartAsync();
        var keys = await host.BlueGreenAsync("shadowed", 100, 0, mirrorGreen: 50);
        var shadow = host.Model("green");
        shadow.Hold(); // The shadow never finishes while the callers below are answered.
        using var client = host.Client(keys.PrimaryKey);
        const int N = 100;
        for (int i = 0; i < N; i++)
        {
            var response = await PostAsync(client, "/endpoints/shadowed/score");
            Assert.Equal("blue", await DeploymentHost.ServedByAsync(response));
            Assert.Equal("blue", response.Headers.GetValues("azureml-model-deployment").Single());
        }

        Assert.Equal(N, host.Model("blue").Calls);
        Assert.True(await shadow.Entered.WaitAsync(TimeSpan.FromSeconds(30), DeploymentHost.Token));
        // The shadow holds one copy (its in-flight limit is 2: one running, one waiting); the rest were dropped.
        Assert.Equal(1, shadow.Calls);

        shadow.Release();
        for (int i = 0; i < N; i++)
        {
            Assert.Equal("blue", await DeploymentHost.ServedByAsync(await PostAsync(client, "/endpoints/shadowed/score")));
        }

        // About half of the second hundred are copied; 15 is more than 7 sd below the mean of 50.
        for (int i = 0; i < 15; i++)
        {
            Assert.True(await shadow.Entered.WaitAsync(TimeSpan.FromSeconds(30), DeploymentHost.Token));
        }

        Assert.InRange(shadow.Calls, 16, N + 2);
        Assert.Equal(2 * N, host.Model("blue").Calls);
    }
}
