using BenchmarkDotNet.Attributes;
using MedServe.Inference.Tokenization;

namespace MedServe.Benchmarks;

/// <summary>CLIP tokenisation of zero-shot prompts with the demo vocabulary (the real one needs ../shared).</summary>
[MemoryDiagnoser]
public class TokenizerBenchmarks
{
    private static readonly string[] Prompts =
    [
        "x-ray chest anteroposterior Atelectasis.",
        "ct abdomen axial contrast liver lesion",
        "mri brain t2 flair white matter hyperintensity",
        "pathology hematoxylin eosin invasive ductal carcinoma",
    ];

    private readonly long[] _ids = new long[Prompts.Length * 77];
    private readonly long[] _mask = new long[Prompts.Length * 77];
    private readonly long[] _eos = new long[Prompts.Length];
    private ClipTokenizer _tokenizer = null!;
    private string _path = "";

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"medserve-bench-vocab-{Environment.ProcessId}.txt.gz");
        File.WriteAllBytes(_path, ClipVocabularyBuilder.BuildOpenAiMergesGz());
        _tokenizer = ClipTokenizer.FromOpenAiMerges(_path);
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    [Benchmark]
    public ClipEncoding EncodeForModel() => _tokenizer.EncodeForModel(Prompts[0]);

    [Benchmark]
    public int EncodeBatchOfFour() => _tokenizer.EncodeBatch(Prompts, _ids, _mask, _eos);
}
