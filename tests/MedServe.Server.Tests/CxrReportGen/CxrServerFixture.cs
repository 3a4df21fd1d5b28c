using System.Net.Http.Headers;
using System.Text;
using MedServe.Models;
using MedServe.Models.Demo;
using MedServe.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace MedServe.Server.Tests.CxrReportGen;

/// <summary>
/// The real server serving the demo CXRReportGen package (<c>cxrreportgen</c>, the default, with its own
/// 10-row limit) and one whose dark script breaks the grammar (<c>cxr-malformed</c>), logging at Debug
/// into <see cref="Log"/>.
/// </summary>
public sealed class CxrServerFixture : IAsyncLifetime
{
    public const string Key = "cxr-key-0123456789abcdef";
    public const string Malformed = "<obj>Right basilar opacity.<box><x10><y20></box></obj>";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "medserve-cxr-server-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;

    public HttpClient Client { get; private set; } = null!;

    public CapturedLog Log { get; } = new();

    public async ValueTask InitializeAsync()
    {
        string good = CxrReportGenDemoPackage.Write(Path.Combine(_root, "good"));
        string bad = CxrReportGenDemoPackage.Write(Path.Combine(_root, "bad"), name: "cxr-malformed", darkFindings: Malformed);
        var options = new ServerOptions { PrimaryKey = Key, SecondaryKey = Key + "-2" };
        var endpoints = new List<ServedEndpoint>();
        foreach (string directory in new[] { good, bad })
        {
            var model = ModelLoader.Load(directory);
            endpoints.Add(new ServedEndpoint(model.Descriptor.Name, model.Descriptor.Name, model));
        }

        _app = MedServeApplication.Build(options, new EndpointRegistry(endpoints), b =>
        {
            b.WebHost.UseTestServer();
            b.Logging.SetMinimumLevel(LogLevel.Debug);
            b.Logging.AddFilter("Microsoft", LogLevel.Warning);
            b.Logging.AddProvider(Log);
        });
        await _app.StartAsync();
        Client = _app.GetTestClient();
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
    }

    public async ValueTask DisposeAsync()
    {
        await TestApps.StopAsync(_app, _root);
    }

    public Task<HttpResponseMessage> PostAsync(string json, string endpoint = "cxrreportgen") =>
        Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/endpoints/{endpoint}/score")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        }, TestContext.Current.CancellationToken);
}
