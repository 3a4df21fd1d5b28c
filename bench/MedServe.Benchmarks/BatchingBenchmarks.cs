using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using MedServe.Models;
using MedServe.Models.Demo;
using MedServe.Models.Scoring;
using MedServe.Onnx.Synthetic;

namespace MedServe.Benchmarks;

/// <summary>
/// Dynamic batching on and off: <see cref="Requests"/> one-row text requests from <see cref="Concurrency"/>
/// clients, through one MedImageInsight instance (no HTTP) whose text encoder is compute-heavy:
/// <see cref="Steps"/> chained 1024×1024 MatMuls, about 100 MFLOP per row. One operation is the whole
/// set of requests, so requests per second = <see cref="Requests"/> / mean. <see cref="Mode"/>: <c>off</c>
/// runs the 16 requests at once, each on its own (<c>max_concurrent_requests_per_instance: 16</c>, batching
/// off); <c>off-one-at-a-time</c> lets one request at a time into the model (the default
/// <c>max_concurrent_requests_per_instance: 1</c>); <c>on</c> batches (16 at once). After each iteration the
/// per-request latencies (p50, p99, max) are printed to the log as <c>// latency …</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, warmupCount: 1, iterationCount: 5)]
public class BatchingBenchmarks
{
    public const int Steps = SyntheticComputeHeavy.TextMatMuls;
    public const int Requests = 128;
    public const int Concurrency = 16;

    private string _dir = "";
    private IScoringModel _model = null!;
    private byte[][] _bodies = [];
    private readonly ConcurrentBag<double> _latencies = [];

    private readonly SemaphoreSlim _oneAtATime = new(1);

    [Params("off", "off-one-at-a-time", "on")]
    public string Mode { get; set; } = "on";

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), $"medserve-bench-batching-{Environment.ProcessId}");
        WriteHeavyPackage(_dir);
        _model = ModelLoader.Load(_dir, new ModelLoadOptions { Batching = Mode == "on" ? new BatchingOptions() : null });
        _bodies = [.. Enumerable.Range(0, Requests).Select(i =>
            Encoding.UTF8.GetBytes("{\"input_data\": {\"columns\": [\"text\"], \"data\": [[\"x-ray chest finding " + i + "\"]]}}"))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [IterationSetup]
    public void ClearLatencies() => _latencies.Clear();

    [IterationCleanup]
    public void PrintLatencies()
    {
        double[] sorted = [.. _latencies.Order()];
        if (sorted.Length > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"// latency mode={Mode} n={sorted.Length} p50={Percentile(sorted, 0.50):F1} ms p99={Percentile(sorted, 0.99):F1} ms max={sorted[^1]:F1} ms"));
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    [Benchmark]
    public async Task SixteenConcurrentClients()
    {
        int next = -1;
        var clients = Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            for (int i = Interlocked.Increment(ref next); i < Requests; i = Interlocked.Increment(ref next))
            {
                long started = Stopwatch.GetTimestamp();
                using var frame = ScoringFrameParser.TryParse(_bodies[i], out string error) ?? throw new InvalidOperationException(error);
                bool serial = Mode == "off-one-at-a-time";
                if (serial)
                {
                    await _oneAtATime.WaitAsync().ConfigureAwait(false);
                }

                ScoringResult result;
                try
                {
                    result = await _model.ScoreAsync(frame, CancellationToken.None).ConfigureAwait(false);
                }
                finally
                {
                    if (serial)
                    {
                        _oneAtATime.Release();
                    }
                }

                _latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (result.StatusCode != 200)
                {
                    throw new InvalidOperationException(Encoding.UTF8.GetString(result.Body));
                }
            }
        });
        await Task.WhenAll(clients).ConfigureAwait(false);
    }

    /// <summary>The compute-heavy package: batch size 16 and a text encoder of <see cref="Steps"/> 1024² MatMuls.</summary>
    private static void WriteHeavyPackage(string directory) => DemoPackages.WriteComputeHeavyMedImageInsight(directory);
}
