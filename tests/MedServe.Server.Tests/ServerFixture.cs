using System.Net.Http.Headers;
using System.Text;
using MedServe.Dicom.Worker;
using MedServe.Models;
using MedServe.Models.Demo;
using MedServe.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace MedServe.Server.Tests;

/// <summary>
/// The real server, in process on a test server, serving the demo MedImageInsight package twice
/// (as <c>medimageinsight</c>, the default, and <c>second</c>) with small limits so limit paths are cheap.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const string PrimaryKey = "primary-key-0123456789abcdef";
    public const string SecondaryKey = "secondary-key-0123456789abcdef";
    public const int MaxRows = 6;
    public const long MaxBodyBytes = 2_000_000;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "medserve-server-tests-" + Guid.NewGuid().ToString("N"));
    private readonly DicomDecoder _dicom = new(new DicomDecoderOptions { PoolSize = 2 });
    private readonly Deployments.CapturingLoggerProvider? _capture;
    private readonly Deployments.RecordingHandler? _recorder;
    private WebApplication? _app;

    /// <summary>The fixture the contract test classes share.</summary>
    public ServerFixture()
    {
    }

    /// <summary>A fixture that keeps every log line at every level and every request it sends (the log-leak test).</summary>
    internal ServerFixture(Deployments.CapturingLoggerProvider capture, Deployments.RecordingHandler recorder)
    {
        _capture = capture;
        _recorder = recorder;
    }

    public HttpClient Client { get; private set; } = null!;

    public string PackageDirectory => Path.Combine(_root, DemoPackages.MedImageInsightName);

    public async ValueTask InitializeAsync()
    {
        string first = DemoPackages.WriteMedImageInsight(PackageDirectory);
        string second = Path.Combine(_root, "second");
        DemoPackages.WriteMedImageInsight(second);
        string manifest = Path.Combine(second, "medserve.json");
        await File.WriteAllTextAsync(manifest, (await File.ReadAllTextAsync(manifest)).Replace("\"name\": \"medimageinsight\"", "\"name\": \"second\"", StringComparison.Ordinal));

        var options = new ServerOptions
        {
            PrimaryKey = PrimaryKey,
            SecondaryKey = SecondaryKey,
            MaxRowsPerRequest = MaxRows,
            MaxRequestBodyBytes = MaxBodyBytes,
            MaxImagePixels = 40_000_000,
        };
        var load = new ModelLoadOptions { MaxImagePixels = options.MaxImagePixels, MaxRows = MaxRows, Dicom = _dicom };
        var endpoints = new List<ServedEndpoint>();
        foreach (string directory in new[] { first, second })
        {
            var model = ModelLoader.Load(directory, load);
            endpoints.Add(new ServedEndpoint(model.Descriptor.Name, model.Descriptor.Name, model));
        }

        _app = MedServeApplication.Build(options, new EndpointRegistry(endpoints), b =>
        {
            b.WebHost.UseTestServer();
            if (_capture is null)
            {
                b.Logging.SetMinimumLevel(LogLevel.Warning);
                return;
            }

            b.Logging.ClearProviders();
            b.Logging.AddProvider(_capture);
            b.Logging.SetMinimumLevel(LogLevel.Trace);
            foreach (string category in new[] { "Microsoft.AspNetCore", "Microsoft.Hosting.Lifetime", "Microsoft", "System", "MedServe" })
            {
                b.Logging.AddFilter(category, LogLevel.Trace);
            }
        });
        await _app.StartAsync();
        Client = CreateAnonymousClient();
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PrimaryKey);
    }

    public async ValueTask DisposeAsync()
    {
        await TestApps.StopAsync(_app, _root);
        _dicom.Dispose();
    }

    /// <summary>A client without any Authorization header.</summary>
    public HttpClient CreateAnonymousClient() =>
        _recorder is null ? _app!.GetTestServer().CreateClient() : _recorder.Client(_app!.GetTestServer().CreateHandler(), _app!.GetTestServer().BaseAddress);

    /// <summary>Posts a JSON body to a path with the default key.</summary>
    public Task<HttpResponseMessage> PostAsync(string json, string path = "/score", Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        configure?.Invoke(request);
        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
