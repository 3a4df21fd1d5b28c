using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MedServe.Inference.Packages;
using MedServe.Models.Scoring;
using MedServe.Server.Configuration;
using MedServe.Server.Deployments;
using MedServe.Server.Hosting;
using MedServe.Server.Management;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace MedServe.Server.Tests.Deployments;

/// <summary>
/// A real server on a test server whose deployments load <see cref="FakeModel"/>s: a deployment's
/// <c>model</c> names the fake (<c>fake:TAG</c>); <c>fail:REASON</c> is refused like a bad package;
/// <c>gate:TAG</c> holds loading until <see cref="ReleaseLoads"/>; an existing folder is loaded as a real
/// package. Time is a <see cref="FakeTimeProvider"/>.
/// </summary>
internal sealed class DeploymentHost : IAsyncDisposable
{
    public const string AdminKey = "admin-key-0123456789abcdef";
    private readonly ManualResetEventSlim _loads = new(true);
    private readonly ConcurrentDictionary<string, int> _made = new(StringComparer.Ordinal);
    private WebApplication _app = null!;

    private DeploymentHost()
    {
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));

    public ConcurrentDictionary<string, FakeModel> Models { get; } = new(StringComparer.Ordinal);

    /// <summary>Every model instance made, in order.</summary>
    public ConcurrentQueue<FakeModel> Instances { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new();

    public HttpClient Admin { get; private set; } = null!;

    public EndpointRegistry Registry => MedServeApplication.Registry(_app);

    public IServiceProvider Services => _app.Services;

    public static async Task<DeploymentHost> StartAsync(ServerOptions? options = null, IReadOnlyList<ServedEndpoint>? seeds = null)
    {
        var host = new DeploymentHost();
        await host.RunAsync(options ?? new ServerOptions(), seeds ?? []);
        return host;
    }

    public FakeModel Model(string tag) => Models.GetOrAdd(tag, t => new FakeModel(t));

    public void HoldLoads() => _loads.Reset();

    public void ReleaseLoads() => _loads.Set();

    public HttpClient Client(string? bearer = null)
    {
        var client = _app.GetTestClient();
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    /// <summary>Creates an endpoint and returns its keys.</summary>
    public async Task<EndpointKeys> CreateEndpointAsync(EndpointSpec spec)
    {
        var response = await Admin.PostAsync("/management/endpoints", Json(spec, ManagementJsonContext.Default.EndpointSpec), Token);
        string body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
        return JsonSerializer.Deserialize(body, ManagementJsonContext.Default.EndpointView)!.Keys!;
    }

    /// <summary>Creates a deployment and waits until it is ready or failed.</summary>
    public async Task<DeploymentView> CreateDeploymentAsync(DeploymentSpec spec, bool allTraffic = false)
    {
        var response = await Admin.PostAsync($"/management/endpoints/{spec.EndpointName}/deployments?wait=true{(allTraffic ? "&all_traffic=true" : "")}",
            Json(spec, ManagementJsonContext.Default.DeploymentSpec), Token);
        string body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
        return JsonSerializer.Deserialize(body, ManagementJsonContext.Default.DeploymentView)!;
    }

    /// <summary>
    /// An endpoint whose one deployment, blue, loads the real package <paramref name="package"/> with the given
    /// batching (4 concurrent requests per instance); returns a client with the endpoint's key.
    /// </summary>
    public async Task<HttpClient> DeployBatchedAsync(string endpoint, string package, BatchingSettings batching, int timeoutMs = 60_000)
    {
        var keys = await CreateEndpointAsync(new EndpointSpec { Name = endpoint });
        var deployment = Deployment(endpoint, "blue", package) with
        {
            RequestSettings = new RequestSettings { RequestTimeoutMs = timeoutMs, MaxConcurrentRequestsPerInstance = 4 },
            Batching = batching,
        };
        // The warm-up's lone row waits the queue delay on the fake clock: move the clock until it is ready.
        var creating = CreateDeploymentAsync(deployment, allTraffic: true);
        await AdvanceUntilAsync(creating);
        var view = await creating;
        Assert.True(view.Ready, view.FailureReason);
        return Client(keys.PrimaryKey);
    }

    public async Task UpdateEndpointAsync(EndpointSpec spec)
    {
        var response = await Admin.PutAsync($"/management/endpoints/{spec.Name}", Json(spec, ManagementJsonContext.Default.EndpointSpec), Token);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Token));
    }

    /// <summary>An endpoint with deployments blue and green (fakes of the same names) and the given traffic.</summary>
    public async Task<EndpointKeys> BlueGreenAsync(string endpoint, int blue, int green, int mirrorGreen = 0, Func<DeploymentSpec, DeploymentSpec>? adjust = null)
    {
        var keys = await CreateEndpointAsync(new EndpointSpec { Name = endpoint });
        adjust ??= d => d;
        await CreateDeploymentAsync(adjust(Deployment(endpoint, "blue")));
        await CreateDeploymentAsync(adjust(Deployment(endpoint, "green")));
        var traffic = new Dictionary<string, int> { ["blue"] = blue, ["green"] = green };
        var mirror = mirrorGreen > 0 ? new Dictionary<string, int> { ["green"] = mirrorGreen } : new Dictionary<string, int>();
        await UpdateEndpointAsync(new EndpointSpec { Name = endpoint, Traffic = traffic, MirrorTraffic = mirror });
        return keys;
    }

    public static DeploymentSpec Deployment(string endpoint, string name, string? model = null) =>
        new() { Name = name, EndpointName = endpoint, Model = model ?? "fake:" + name };

    public static StringContent Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        new(JsonSerializer.Serialize(value, type), Encoding.UTF8, "application/json");

    public static StringContent Text(string prompt = "chest x-ray") =>
        new("{\"input_data\": {\"columns\": [\"text\"], \"index\": [0], \"data\": [[\"" + prompt + "\"]]}}", Encoding.UTF8, "application/json");

    public static async Task<string> ServedByAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement[0].GetProperty("served_by").GetString()!;
    }

    public static async Task<string> MessageAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        return json.RootElement.GetProperty("message").GetString()!;
    }

    public static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>
    /// A host with endpoint <paramref name="endpoint"/> whose deployment <c>blue</c> serves <paramref name="package"/>
    /// with <paramref name="batching"/> (4 concurrent requests per instance), ready: the warm-up's rows wait the
    /// queue delay on the fake clock, so the clock is moved until the deployment has loaded. Returns a client with its key.
    /// </summary>
    public static async Task<(DeploymentHost Host, HttpClient Client)> StartBatchedAsync(string endpoint, string package, BatchingSettings batching, int timeoutMs)
    {
        var host = await StartAsync();
        return (host, await host.DeployBatchedAsync(endpoint, package, batching, timeoutMs));
    }

    /// <summary>Moves the server's fake clock on in <paramref name="step"/>s (50 ms when null) until <paramref name="pending"/> completes.</summary>
    public async Task AdvanceUntilAsync(Task pending, TimeSpan? step = null)
    {
        for (int i = 0; i < 2000 && !pending.IsCompleted; i++)
        {
            Time.Advance(step ?? TimeSpan.FromMilliseconds(50));
            await Task.WhenAny(pending, Task.Delay(5, Token));
        }
    }

    /// <summary>
    /// Moves the server's fake clock on in <paramref name="step"/>s from a dedicated thread until
    /// <paramref name="pending"/> completes. A thread, not a thread-pool continuation: while ONNX Runtime's
    /// threads and the other test classes fill both cores, a pool continuation could wait longer than a graph runs.
    /// </summary>
    public void AdvanceOnThreadUntil(Task pending, TimeSpan step)
    {
        var clock = new Thread(() =>
        {
            while (!pending.IsCompleted)
            {
                Time.Advance(step);
                ((IAsyncResult)pending).AsyncWaitHandle.WaitOne(5);
            }
        }) { IsBackground = true, Name = "fake clock" };
        clock.Start();
    }

    /// <summary>Stops the server cleanly (audit drained, state closed).</summary>
    public async Task StopAsync()
    {
        await _app.StopAsync(Token);
    }

    public async ValueTask DisposeAsync()
    {
        _loads.Set();
        foreach (var model in Models.Values)
        {
            model.Release();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        _loads.Dispose();
    }

    private IScoringModel Create(DeploymentSpec spec)
    {
        string model = spec.Model;
        if (Directory.Exists(model))
        {
            // The deployment's ONNX Runtime and batching keys apply as in the default factory.
            return MedServe.Models.ModelLoader.Load(model, new MedServe.Models.ModelLoadOptions { Batching = spec.Batching.ToOptions(), Time = Time },
                new MedServe.Inference.Runtime.OrtSessionFactory(DeploymentSessionSettings.From(spec)));
        }

        if (model.StartsWith("fail:", StringComparison.Ordinal))
        {
            throw new ModelPackageException(model, [model["fail:".Length..]]);
        }

        if (model.StartsWith("gate:", StringComparison.Ordinal))
        {
            _loads.Wait(TimeSpan.FromSeconds(60));
            model = "fake:" + model["gate:".Length..];
        }

        if (!model.StartsWith("fake:", StringComparison.Ordinal))
        {
            throw new ModelPackageException(model, ["not a fake"]);
        }

        // The first instance of a tag is Models[tag] (which a test may have set up); later ones are new.
        string tag = model["fake:".Length..];
        var fake = _made.AddOrUpdate(tag, 1, (_, n) => n + 1) == 1 ? Model(tag) : new FakeModel(tag);
        Instances.Enqueue(fake);
        return fake;
    }

    private async Task RunAsync(ServerOptions options, IReadOnlyList<ServedEndpoint> seeds)
    {
        var resolved = options with
        {
            AdminKey = options.AdminKey ?? AdminKey,
            PrimaryKey = options.PrimaryKey ?? ServerFixture.PrimaryKey,
            SecondaryKey = options.SecondaryKey ?? ServerFixture.SecondaryKey,
        };
        _app = MedServeApplication.Build(resolved, new EndpointRegistry(seeds), b =>
        {
            b.WebHost.UseTestServer();
            b.Logging.ClearProviders();
            b.Logging.SetMinimumLevel(LogLevel.Trace);
            b.Logging.AddFilter((_, _) => true);
            b.Logging.AddProvider(Logs);
            b.Services.AddSingleton<TimeProvider>(Time);
            b.Services.AddSingleton<DeploymentModelFactory>((spec, _) => Create(spec));
        });
        await _app.StartAsync(Token);
        Admin = Client(resolved.AdminKey);
    }
}
