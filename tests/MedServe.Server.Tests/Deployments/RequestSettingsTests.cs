using System.Net;
using System.Text;
using MedServe.Server.Configuration;
using MedServe.Server.Hosting;

namespace MedServe.Server.Tests.Deployments;

/// <summary>request_timeout_ms → 408 with the work cancelled; the in-flight limit → 429; the body limit → 413; instance_count → parallel instances.</summary>
public sealed class RequestSettingsTests
{
    private static Func<DeploymentSpec, DeploymentSpec> Settings(int timeoutMs = 5000, int concurrent = 1, int instances = 1) => d => d with
    {
        InstanceCount = instances,
        RequestSettings = new RequestSettings { RequestTimeoutMs = timeoutMs, MaxConcurrentRequestsPerInstance = concurrent },
    };

    [Fact]
    public async Task Score_LongerThanRequestTimeout_Returns408AndCancelsTheWork()
    {
        await using var host = await DeploymentHost.StartAsync();
        var keys = await host.BlueGreenAsync("slow", 100, 0, adjust: Settings(timeoutMs: 2000));
        var blue = host.Model("blue");
        blue.Hold();
        using var client = host.Client(keys.PrimaryKey);
        var pending = client.PostAsync("/endpoints/slow/score", DeploymentHost.Text(), DeploymentHost.Token);
        Assert.True(await blue.Entered.WaitAsync(TimeSpan.FromSeconds(30), DeploymentHost.Token));
        host.Time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(pending.IsCompleted);
        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        var response = await pending;
        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.Equal("the request ran longer than deployment 'blue''s request_timeout_ms (2000 ms); its work was cancelled", await DeploymentHost.MessageAsync(response));
        Assert.Equal(1, blue.Cancelled);

        blue.Release();
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await client.PostAsync("/endpoints/slow/score", DeploymentHost.Text(), DeploymentHost.Token)));
    }

    [Fact]
    public async Task Score_SlowGraphLongerThanRequestTimeout_Returns408AndTheDeploymentServesOn()
    {
        string package = SlowTextEncoderPackage.Write(Path.Combine(Path.GetTempPath(), "medserve-slow-" + Guid.NewGuid().ToString("N")));
        try
        {
            await using var host = await DeploymentHost.StartAsync();
            var keys = await host.CreateEndpointAsync(new EndpointSpec { Name = "slow-graph" });
            var deployment = DeploymentHost.Deployment("slow-graph", "blue", package) with
            {
                RequestSettings = new RequestSettings { RequestTimeoutMs = 1000, MaxConcurrentRequestsPerInstance = 1 },
            };
            Assert.True((await host.CreateDeploymentAsync(deployment, allTraffic: true)).Ready);
            using var client = host.Client(keys.PrimaryKey);
            var pending = client.PostAsync("/endpoints/slow-graph/score", DeploymentHost.Text("x-ray chest anteroposterior Atelectasis."), DeploymentHost.Token);
            // The server's clock is a fake one: move it past the limit until the answer comes (the graph runs for seconds).
            host.AdvanceOnThreadUntil(pending, TimeSpan.FromSeconds(1));

            var response = await pending;
            Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
            Assert.Equal("the request ran longer than deployment 'blue''s request_timeout_ms (1000 ms); its work was cancelled", await DeploymentHost.MessageAsync(response));

            // The instance was handed back (ONNX Runtime stopped the run): an image request on the one instance is answered.
            string image = Convert.ToBase64String(TestImages.GradientPng());
            var next = await client.PostAsync("/endpoints/slow-graph/score",
                new StringContent("{\"input_data\": {\"columns\": [\"image\"], \"data\": [[\"" + image + "\"]]}}", Encoding.UTF8, "application/json"), DeploymentHost.Token);
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        }
        finally
        {
            Directory.Delete(package, recursive: true);
        }
    }

    [Fact]
    public async Task Score_BurstAboveInFlightLimit_Returns429AtOnceAndKeepsServing()
    {
        await using var host = await DeploymentHost.StartAsync();
        var keys = await host.BlueGreenAsync("busy", 100, 0, adjust: Settings(concurrent: 1, instances: 1));
        var blue = host.Model("blue");
        blue.Hold();
        using var client = host.Client(keys.PrimaryKey);
        // Limit 2 × 1 × 1 = 2: one runs, one waits for the instance, the third is refused at once.
        var first = client.PostAsync("/endpoints/busy/score", DeploymentHost.Text(), DeploymentHost.Token);
        Assert.True(await blue.Entered.WaitAsync(TimeSpan.FromSeconds(30), DeploymentHost.Token));
        var second = client.PostAsync("/endpoints/busy/score", DeploymentHost.Text(), DeploymentHost.Token);
        var registry = host.Registry;
        Assert.True(await WaitForAsync(() => Deployment(registry, "busy", "blue").InFlight == 2));
        var refused = new List<HttpResponseMessage>();
        for (int i = 0; i < 5; i++)
        {
            refused.Add(await client.PostAsync("/endpoints/busy/score", DeploymentHost.Text(), DeploymentHost.Token));
        }

        foreach (var response in refused)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal("deployment 'blue' has 2 requests in flight, its limit (2 × max_concurrent_requests_per_instance 1 × instance_count 1); retry later",
                await DeploymentHost.MessageAsync(response));
        }

        Assert.False(first.IsCompleted || second.IsCompleted);
        blue.Release();
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await first));
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await second));
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await client.PostAsync("/endpoints/busy/score", DeploymentHost.Text(), DeploymentHost.Token)));
        Assert.Equal(3, blue.Calls);
    }

    [Fact]
    public async Task Score_InstanceCountTwo_RunsTwoRequestsAtOnceOnTwoInstances()
    {
        await using var host = await DeploymentHost.StartAsync();
        var keys = await host.BlueGreenAsync("wide", 100, 0, adjust: Settings(concurrent: 1, instances: 2));
        var instances = host.Instances.Where(i => i.Tag == "blue").ToList();
        Assert.Equal(2, instances.Count);
        Assert.NotSame(instances[0], instances[1]);
        foreach (var instance in instances)
        {
            instance.Hold();
        }

        using var client = host.Client(keys.PrimaryKey);
        var a = client.PostAsync("/endpoints/wide/score", DeploymentHost.Text(), DeploymentHost.Token);
        var b = client.PostAsync("/endpoints/wide/score", DeploymentHost.Text(), DeploymentHost.Token);
        foreach (var instance in instances)
        {
            // Both instances run one request each while neither has finished.
            Assert.True(await instance.Entered.WaitAsync(TimeSpan.FromSeconds(30), DeploymentHost.Token));
            Assert.Equal(1, instance.MaxRunning);
        }

        foreach (var instance in instances)
        {
            instance.Release();
        }

        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await a));
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await b));
        Assert.Equal(4, Deployment(host.Registry, "wide", "blue").InFlightLimit);
    }

    [Fact]
    public async Task Score_BodyAboveLimit_Returns413AndKeepsServing()
    {
        await using var host = await DeploymentHost.StartAsync(new ServerOptions { MaxRequestBodyBytes = 4096 });
        var keys = await host.BlueGreenAsync("small", 100, 0);
        using var client = host.Client(keys.PrimaryKey);
        string big = "{\"input_data\": {\"columns\": [\"text\"], \"data\": [[\"" + new string('a', 5000) + "\"]]}}";
        var response = await client.PostAsync("/endpoints/small/score", new StringContent(big, Encoding.UTF8, "application/json"), DeploymentHost.Token);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("the request body is larger than the limit of 4096 bytes", await DeploymentHost.MessageAsync(response));
        Assert.Equal(0, host.Model("blue").Calls);
        Assert.Equal("blue", await DeploymentHost.ServedByAsync(await client.PostAsync("/endpoints/small/score", DeploymentHost.Text(), DeploymentHost.Token)));
    }

    internal static Server.Deployments.LiveDeployment Deployment(EndpointRegistry registry, string endpoint, string name)
    {
        Assert.True(registry.TryGet(endpoint, out var live));
        return live.Deployments[name];
    }

    /// <summary>Awaits a condition that another request makes true (bounded; yields between checks).</summary>
    internal static async Task<bool> WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 10_000 && !condition(); i++)
        {
            await Task.Delay(1, DeploymentHost.Token);
        }

        return condition();
    }
}
