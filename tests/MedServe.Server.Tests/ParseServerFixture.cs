using System.Net.Http.Headers;
using System.Text;
using MedServe.Dicom.Worker;
using MedServe.Inference.Tokenization;
using MedServe.Models;
using MedServe.Models.Demo;
using MedServe.Onnx.Synthetic;
using MedServe.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace MedServe.Server.Tests;

/// <summary>
/// The real server serving two small MedImageParse packages: <c>medimageparse</c> (the default, with
/// synthetic target distributions) and <c>parse-nodist</c> (without), small enough that every request is
/// cheap: S = 32, D = 32, Q = 16 queries, 32×32 masks (S = M, so a 32×32 image's masks and statistics involve no resize), at most 3 prompts and 4 rows.
/// </summary>
public sealed class ParseServerFixture : IAsyncLifetime
{
    public const string Key = "parse-primary-key-0123456789";
    public const int ImageSize = 32;
    public const int Dim = 32;
    public const int Queries = 16;
    public const int MaskSize = 32;
    public const int MaxPrompts = 3;
    public const int MaxRows = 4;
    public const string NoDistributions = "parse-nodist";
    public const string DetectionModality = "CT-Test";
    public const string RecognitionModality = "CT-Recog";

    /// <summary>The prompt whose query's mask follows the image's red channel.</summary>
    public const string BrightPrompt = "bright";

    /// <summary>Prompts with distinct first tokens mod Q, none of them <see cref="BrightPrompt"/>'s query.</summary>
    public static readonly string[] Prompts = ["liver", "kidney", "lung"];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "medserve-parse-tests-" + Guid.NewGuid().ToString("N"));
    private readonly DicomDecoder _dicom = new(new DicomDecoderOptions { PoolSize = 1 });
    private readonly Deployments.CapturingLoggerProvider? _capture;
    private readonly Deployments.RecordingHandler? _recorder;
    private WebApplication? _app;

    /// <summary>The fixture the MedImageParse test classes share.</summary>
    public ParseServerFixture()
    {
    }

    /// <summary>A fixture that keeps every log line at every level and every request it sends (the log-leak test).</summary>
    internal ParseServerFixture(Deployments.CapturingLoggerProvider capture, Deployments.RecordingHandler recorder)
    {
        _capture = capture;
        _recorder = recorder;
    }

    public HttpClient Client { get; private set; } = null!;

    public string PackageDirectory => Path.Combine(_root, DemoPackages.MedImageParseName);

    /// <summary>The query the synthetic text encoder gives a prompt: its first content token mod Q.</summary>
    public int QueryOf(string prompt) => SyntheticMedImageParse.ExpectedQueryForPrompt(_tokenizer!.EncodeForModel(prompt).InputIds[1], Queries);

    private ClipTokenizer? _tokenizer;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        string merges = Path.Combine(_root, "merges.txt.gz");
        await File.WriteAllBytesAsync(merges, ClipVocabularyBuilder.BuildOpenAiMergesGz());
        _tokenizer = ClipTokenizer.FromOpenAiMerges(merges);
        int bright = QueryOf(BrightPrompt);
        var queries = Prompts.Select(QueryOf).Append(bright).ToArray();
        if (queries.Distinct().Count() != queries.Length)
        {
            throw new InvalidOperationException($"test prompts share queries: {string.Join(", ", queries)}");
        }

        string first = DemoPackages.WriteMedImageParse(PackageDirectory, ImageSize, Dim, Queries, MaskSize,
            Encoding.UTF8.GetBytes(TargetDistributionsJson), MaxPrompts, bright);
        string second = Path.Combine(_root, NoDistributions);
        DemoPackages.WriteMedImageParse(second, ImageSize, Dim, Queries, MaskSize, [], MaxPrompts, bright);
        string manifest = Path.Combine(second, "medserve.json");
        await File.WriteAllTextAsync(manifest, (await File.ReadAllTextAsync(manifest)).Replace("\"name\": \"medimageparse\"", $"\"name\": \"{NoDistributions}\"", StringComparison.Ordinal));

        var options = new ServerOptions { PrimaryKey = Key, MaxRowsPerRequest = MaxRows, MaxImagePixels = 40_000_000 };
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
        });
        await _app.StartAsync();
        Client = _recorder is null ? _app.GetTestClient() : _recorder.Client(_app.GetTestServer().CreateHandler(), _app.GetTestServer().BaseAddress);
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
    }

    /// <summary>
    /// <c>CT-Test</c> for detection (liver and bright: four Beta(1, 1); kidney: Beta(2,1), Beta(1,2), Beta(2,2), Beta(1,1);
    /// no lung), <c>CT-Recog</c> for recognition (two liver targets sharing liver's query with different
    /// p-values, a kidney that fails the threshold, and a lung).
    /// </summary>
    public const string TargetDistributionsJson = """
        {"CT-Test": {
           "liver": [[1, 1], [1, 1], [1, 1], [1, 1]],
           "kidney": [[2, 1], [1, 2], [2, 2], [1, 1]],
           "bright": [[1, 1], [1, 1], [1, 1], [1, 1]]},
         "CT-Recog": {
           "liver left": [[1, 1], [1, 1], [1, 1], [1, 1]],
           "liver right": [[1, 1], [1, 1], [1, 1], [2, 1]],
           "kidney": [[1, 50], [1, 1], [1, 1], [1, 1]],
           "lung": [[1, 1], [1, 1], [1, 1], [1, 1]]}}
        """;

    public async ValueTask DisposeAsync()
    {
        await TestApps.StopAsync(_app, _root);
        _dicom.Dispose();
    }

    /// <summary>Posts a JSON body with the key.</summary>
    public Task<HttpResponseMessage> PostAsync(string json, string path = "/score")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
