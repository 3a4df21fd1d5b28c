using BenchmarkDotNet.Attributes;
using MedServe.Imaging;
using MedServe.Inference.Packages;
using MedServe.Models;
using MedServe.Models.CxrReportGen;
using MedServe.Models.Demo;
using MedServe.Models.Inputs;
using Microsoft.ML.OnnxRuntime;

namespace MedServe.Benchmarks;

/// <summary>
/// Tokens per second of CXRReportGen greedy decoding on the synthetic demo graphs (2 layers, width 16,
/// 2 heads), per generated token (<see cref="Tokens"/> per invocation):
/// <list type="bullet">
/// <item><see cref="FullLoop"/>: <c>CxrReportGenModel.Generate</c> — vision, prompt, prefill, then per token the
/// embed graph, the decoder with the growing cache, argmax and the stop checks;</item>
/// <item><see cref="BareDecoder"/>: the ceiling — the decoder graph alone, run once per token on a cache of the
/// same prompt length, its present fed back as the next past (ONNX Runtime allocating the outputs);</item>
/// <item><see cref="FirstToken"/>: the per-request part (vision, prompt, prefill), so the steady per-token cost of
/// the loop is (64 · FullLoop − FirstToken) / 63.</item>
/// </list>
/// The graphs are tiny, so the ratio shows MedServe's per-token overhead, not a real model's compute.
/// </summary>
[MemoryDiagnoser]
public class CxrDecodingBenchmarks
{
    /// <summary>Tokens generated per invocation.</summary>
    public const int Tokens = 64;

    private string _dir = "";
    private CxrReportGenModel _model = null!;
    private ModelPackage _package = null!;
    private DecodedImage[] _images = [];
    private CxrStudy _study = null!;
    private int _promptLength;
    private GenerationSettings _generation = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), $"medserve-bench-cxr-{Environment.ProcessId}");
        // No script: every token comes from the attention over the cache, so decoding runs the full count.
        string directory = CxrReportGenDemoPackage.Write(_dir, scripted: false);
        _model = (CxrReportGenModel)ModelLoader.Load(directory);
        _package = ModelPackage.Load(directory);
        _generation = _package.Manifest.Generation!;
        var decoder = new ImageInputDecoder(new ImageDecodeOptions(), null);
        var (image, error) = decoder.DecodeAsync(BenchImages.Png(512, 512), new ImageInputOptions(MedServe.Dicom.Rendering.DicomNormalization.CxrReportGenDefault, 0), CancellationToken.None).GetAwaiter().GetResult();
        _images = [image ?? throw new InvalidOperationException(error)];
        _study = new CxrStudy(false, false, Indication: "Cough and fever.");
        _promptLength = _model.PromptIds(_study, grounded: true).Ids.Length;
        int generated = FullLoop();
        if (generated != Tokens)
        {
            throw new InvalidOperationException($"the decoder stopped after {generated} tokens; the benchmark needs {Tokens}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        _package.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Tokens)]
    public int FullLoop() => _model.Generate(_study, _images, grounded: true, Tokens, CancellationToken.None).Tokens.Count;

    /// <summary>Vision, prompt and prefill with one token: the per-request part of <see cref="FullLoop"/>.</summary>
    [Benchmark]
    public int FirstToken() => _model.Generate(_study, _images, grounded: true, 1, CancellationToken.None).Tokens.Count;

    [Benchmark(Baseline = true, OperationsPerInvoke = Tokens)]
    public int BareDecoder()
    {
        var session = _package.Session("decoder");
        int heads = _generation.KeyValueHeads;
        int headDim = _generation.HeadDim;
        int layers = _generation.Layers;
        var names = new List<string> { "inputs_embeds", "attention_mask", "position_ids" };
        for (int layer = 0; layer < layers; layer++)
        {
            names.Add($"past_key_values.{layer}.key");
            names.Add($"past_key_values.{layer}.value");
        }

        string[] outputs = [.. session.OutputNames];
        var embeds = new float[_generation.HiddenSize];
        var past = new OrtValue[2 * layers];
        for (int i = 0; i < past.Length; i++)
        {
            past[i] = OrtValue.CreateTensorValueFromMemory(new float[heads * _promptLength * headDim], [1, heads, _promptLength, headDim]);
        }

        var maskData = new long[_promptLength + Tokens];
        maskData.AsSpan().Fill(1);
        var positionData = new long[1];
        IDisposableReadOnlyCollection<OrtValue>? previous = null;
        using var runOptions = new RunOptions();
        for (int step = 0; step < Tokens; step++)
        {
            int total = _promptLength + step + 1;
            using var embedsValue = OrtValue.CreateTensorValueFromMemory(embeds, [1, 1, embeds.Length]);
            positionData[0] = total - 1;
            using var mask = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, maskData.AsMemory(0, total), [1, total]);
            using var position = OrtValue.CreateTensorValueFromMemory(positionData, [1, 1]);
            var inputs = new List<OrtValue> { embedsValue, mask, position };
            inputs.AddRange(past);
            var results = session.Run(runOptions, names, inputs, outputs);
            if (previous is null)
            {
                foreach (var value in past)
                {
                    value.Dispose();
                }
            }

            previous?.Dispose();
            previous = results;
            for (int i = 0; i < past.Length; i++)
            {
                past[i] = results[1 + i];
            }
        }

        previous?.Dispose();
        return Tokens;
    }
}
