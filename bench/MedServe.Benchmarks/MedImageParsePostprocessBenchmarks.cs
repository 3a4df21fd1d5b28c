using BenchmarkDotNet.Attributes;
using MedServe.Models.MedImageParse;

namespace MedServe.Benchmarks;

/// <summary>
/// MedImageParse post-processing at the real sizes (101 queries, 256² mask logits, 512-d captions) for
/// one row of eight prompts on a 1024² image: per prompt the query match, the bilinear resize of its
/// logits to 1024², sigmoid and uint8 encoding; then the response JSON (base64 of 8 MB of masks).
/// </summary>
[MemoryDiagnoser]
public class MedImageParsePostprocessBenchmarks
{
    private const int Queries = 101;
    private const int MaskSize = 256;
    private const int Dim = 512;
    private const int Prompts = 8;
    private const int Side = 1024;

    private float[] _masks = [];
    private float[] _captions = [];
    private float[] _logits = [];
    private float[] _classes = [];
    private float[] _probability = [];
    private byte[] _output = [];
    private MedImageParseRowResult _row = null!;
    private readonly MaskWindow _window = MaskWindow.Whole(Side, Side);

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _masks = Fill(random, Queries * MaskSize * MaskSize, 16f);
        _captions = Fill(random, Queries * Dim, 1f);
        _logits = Fill(random, Queries * MedImageParseCategories.LogitCount, 4f);
        _classes = Fill(random, Prompts * Dim, 1f);
        _probability = new float[Side * Side];
        _output = new byte[Prompts * Side * Side];
        EightPrompts();
        _row = new MedImageParseRowResult(_output, Prompts, Side, Side, [.. Enumerable.Repeat("liver", Prompts)], null, null);
    }

    private static float[] Fill(Random random, int length, float range) =>
        [.. Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() - 0.5) * range))];

    /// <summary>Eight prompts: match, resize 256² → 1024², sigmoid, uint8 (no JSON).</summary>
    [Benchmark]
    public int EightPrompts()
    {
        int sum = 0;
        for (int i = 0; i < Prompts; i++)
        {
            var (query, _) = PromptPostprocessor.Run(_classes.AsSpan(i * Dim, Dim), _captions, _masks, _logits, MaskSize, MaskSize,
                100f, _window, _probability, _output.AsSpan(i * Side * Side, Side * Side));
            sum += query;
        }

        return sum;
    }

    /// <summary>The response JSON of the eight 1024² masks (base64 into the image_features string).</summary>
    [Benchmark]
    public byte[] ResponseJson() => MedImageParseResponseWriter.Write([_row]);
}
