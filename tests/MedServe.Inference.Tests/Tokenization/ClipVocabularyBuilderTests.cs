using System.IO.Compression;
using System.Text;
using MedServe.Inference.Tokenization;

namespace MedServe.Inference.Tests.Tokenization;

/// <summary>The demo vocabulary builder: determinism, file format and round trip through the tokenizer.</summary>
public sealed class ClipVocabularyBuilderTests
{
    [Fact]
    public void BuildOpenAiMergesGz_CalledTwice_ReturnsIdenticalBytes()
    {
        byte[] first = ClipVocabularyBuilder.BuildOpenAiMergesGz(500);
        byte[] second = ClipVocabularyBuilder.BuildOpenAiMergesGz(500);

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void LearnMerges_DefaultCount_LearnsTwoThousandUniqueMerges()
    {
        IReadOnlyList<BpeMerge> merges = DemoVocabulary.Merges.Value;

        Assert.Equal(ClipVocabularyBuilder.DefaultMergeCount, merges.Count);
        Assert.Equal(merges.Count, merges.Select(m => m.Left + m.Right).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void LearnMerges_TinyCorpus_StopsWhenNoPairsRemain()
    {
        IReadOnlyList<BpeMerge> merges = ClipVocabularyBuilder.LearnMerges(["lung lung lung", "liver"], 100);

        // lung</w> needs 3 merges, liver</w> 4 (none shared beyond their bytes): 7 in all.
        Assert.Equal(7, merges.Count);
        Assert.Equal(new BpeMerge("l", "u"), merges[0]); // most frequent pair first
    }

    [Fact]
    public void WriteOpenAiMerges_Output_HasHeaderAndOneLinePerMergeWithoutTrailingNewline()
    {
        IReadOnlyList<BpeMerge> merges = ClipVocabularyBuilder.LearnMerges(50);
        using var buffer = new MemoryStream();

        ClipVocabularyBuilder.WriteOpenAiMerges(merges, buffer);

        buffer.Position = 0;
        using var reader = new StreamReader(new GZipStream(buffer, CompressionMode.Decompress), Encoding.UTF8);
        string text = reader.ReadToEnd();
        string[] lines = text.Split('\n');
        Assert.Equal(ClipVocabularyBuilder.Header, lines[0]);
        Assert.Equal(51, lines.Length);
        Assert.Equal($"{merges[49].Left} {merges[49].Right}", lines[50]);
    }

    [Fact]
    public void FromOpenAiMerges_BuilderOutput_PlacesSpecialsAfterMerges()
    {
        ClipTokenizer tokenizer = DemoVocabulary.LoadTokenizer();

        Assert.Equal(512 + 2000, tokenizer.BosId);
        Assert.Equal(513 + 2000, tokenizer.EosId);
        Assert.Equal(514 + 2000, tokenizer.VocabularySize);
    }

    [Theory]
    [InlineData("atelectasis")]
    [InlineData("anteroposterior")]
    [InlineData("pneumothorax")]
    [InlineData("chest")]
    [InlineData("liver")]
    [InlineData("cardiomegaly")]
    public void Encode_CorpusWord_UsesAtMostTwoTokens(string word)
    {
        ClipTokenizer tokenizer = DemoVocabulary.LoadTokenizer();

        IReadOnlyList<int> ids = tokenizer.Encode(word);

        Assert.InRange(ids.Count - 2, 1, 2);
        Assert.All(ids.Skip(1).SkipLast(1), id => Assert.InRange(id, 512, 511 + 2000)); // merged tokens, not bytes
    }

    [Fact]
    public void Encode_DemoPrompt_IsMuchShorterThanItsBytes()
    {
        ClipTokenizer tokenizer = DemoVocabulary.LoadTokenizer();
        const string prompt = "x-ray chest anteroposterior atelectasis.";

        int contentTokens = tokenizer.Encode(prompt).Count - 2;

        Assert.InRange(contentTokens, 4, 10); // 7 pre-tokens: x - ray chest anteroposterior atelectasis .
    }

    [Fact]
    public void FromHuggingFace_BuilderPair_EncodesLikeOpenAiLoader()
    {
        IReadOnlyList<BpeMerge> merges = DemoVocabulary.Merges.Value;
        string dir = Directory.CreateTempSubdirectory("medserve-hf-").FullName;
        try
        {
            string vocab = Path.Combine(dir, "vocab.json");
            string mergesTxt = Path.Combine(dir, "merges.txt");
            ClipVocabularyBuilder.WriteHuggingFace(merges, vocab, mergesTxt);
            ClipTokenizer openAi = DemoVocabulary.LoadTokenizer();

            ClipTokenizer hf = ClipTokenizer.FromHuggingFace(vocab, mergesTxt);

            Assert.Equal(openAi.BosId, hf.BosId);
            Assert.Equal(openAi.EosId, hf.EosId);
            Assert.Equal(openAi.VocabularySize, hf.VocabularySize);
            string[] texts = [.. ClipVocabularyBuilder.Corpus, "Ünïcode & <|endoftext|> 1234 can't"];
            foreach (string text in texts)
            {
                Assert.Equal(openAi.Encode(text), hf.Encode(text));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
