using System.Text;
using BenchmarkDotNet.Attributes;
using MedServe.Models;
using MedServe.Models.Demo;
using MedServe.Models.Scoring;

namespace MedServe.Benchmarks;

/// <summary>
/// One request through the MedImageInsight model on the synthetic demo package (envelope parse,
/// decode, pre-process, ONNX Runtime, JSON): the server-side cost apart from HTTP. The synthetic graphs
/// are tiny, so this measures MedServe's own overhead, not a real model's compute.
/// </summary>
[MemoryDiagnoser]
public class ScoringBenchmarks
{
    private string _dir = "";
    private IScoringModel _model = null!;
    private byte[] _imageRequest = [];
    private byte[] _textRequest = [];

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), $"medserve-bench-{Environment.ProcessId}");
        _model = ModelLoader.Load(DemoPackages.WriteMedImageInsight(_dir));
        string image = Convert.ToBase64String(BenchImages.Png(1024, 1024));
        _imageRequest = Encoding.UTF8.GetBytes("{\"input_data\": {\"columns\": [\"image\"], \"data\": [[\"" + image + "\"]]}}");
        string rows = string.Join(", ", Enumerable.Range(0, 16).Select(i => $"[\"x-ray chest anteroposterior finding {i}\"]"));
        _textRequest = Encoding.UTF8.GetBytes("{\"input_data\": {\"columns\": [\"text\"], \"data\": [" + rows + "]}}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark]
    public Task<ScoringResult> OneImage1024() => ScoreAsync(_imageRequest);

    [Benchmark]
    public Task<ScoringResult> SixteenTexts() => ScoreAsync(_textRequest);

    private async Task<ScoringResult> ScoreAsync(byte[] body)
    {
        using var frame = ScoringFrameParser.TryParse(body, out string error) ?? throw new InvalidOperationException(error);
        var result = await _model.ScoreAsync(frame, CancellationToken.None).ConfigureAwait(false);
        return result.StatusCode == 200 ? result : throw new InvalidOperationException(Encoding.UTF8.GetString(result.Body));
    }
}
