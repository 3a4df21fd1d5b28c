using MedServe.Inference.Tokenization;

namespace MedServe.Inference.Tests.Tokenization;

/// <summary>The builder's default demo vocabulary, learnt once per test run.</summary>
internal static class DemoVocabulary
{
    public static readonly Lazy<IReadOnlyList<BpeMerge>> Merges = new(() => ClipVocabularyBuilder.LearnMerges());

    public static readonly Lazy<byte[]> Gz = new(() =>
    {
        using var buffer = new MemoryStream();
        ClipVocabularyBuilder.WriteOpenAiMerges(Merges.Value, buffer);
        return buffer.ToArray();
    });

    public static ClipTokenizer LoadTokenizer()
    {
        string path = Path.Combine(Path.GetTempPath(), $"demo-merges-{Guid.NewGuid():N}.txt.gz");
        File.WriteAllBytes(path, Gz.Value);
        try
        {
            return ClipTokenizer.FromOpenAiMerges(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
