using System.Text.Json;
using MedServe.Inference.Tokenization;
using MedServe.Testing;

namespace MedServe.Inference.Tests.Tokenization;

/// <summary>The published CLIP vectors and the real vocabulary (skipped without ../shared/testdata).</summary>
public sealed class ClipTokenizerVectorTests
{
    private const string MergesFile = "clip/bpe_simple_vocab_16e6.txt.gz";
    private const string VectorsFile = "clip/clip_tokenizer_vectors.json";

    private static readonly Lazy<ClipTokenizer?> Real = new(() =>
        SharedTestData.File(MergesFile) is { } path ? ClipTokenizer.FromOpenAiMerges(path) : null);

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        if (SharedTestData.File(VectorsFile) is { } path)
        {
            foreach (JsonElement c in LoadCases(path))
            {
                data.Add(c.GetProperty("name").GetString()!);
            }
        }
        else
        {
            // One row that skips, so the absence is visible in the results.
            data.Add("(shared test data absent)");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Encode_PublishedCase_MatchesExpectedIds(string name)
    {
        ClipTokenizer tokenizer = RequireReal();
        JsonElement testCase = LoadCases(SharedTestData.File(VectorsFile)!).Single(c => c.GetProperty("name").GetString() == name);
        int[] expected = [.. testCase.GetProperty("expected_ids").EnumerateArray().Select(e => e.GetInt32())];

        IReadOnlyList<int> actual = tokenizer.Encode(testCase.GetProperty("text").GetString()!);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void FromOpenAiMerges_RealFile_HasClipVocabularyAndSpecials()
    {
        ClipTokenizer tokenizer = RequireReal();

        Assert.Equal(49408, tokenizer.VocabularySize);
        Assert.Equal(49406, tokenizer.BosId);
        Assert.Equal(49407, tokenizer.EosId);
        Assert.Equal(49407, tokenizer.PadId);
    }

    [Fact]
    public void FromOpenAiMerges_UncompressedCopy_EncodesLikeGzip()
    {
        ClipTokenizer gz = RequireReal();
        string txt = Path.Combine(Path.GetTempPath(), $"clip-merges-{Guid.NewGuid():N}.txt");
        try
        {
            using (var input = new System.IO.Compression.GZipStream(File.OpenRead(SharedTestData.File(MergesFile)!), System.IO.Compression.CompressionMode.Decompress))
            using (FileStream output = File.Create(txt))
            {
                input.CopyTo(output);
            }

            ClipTokenizer plain = ClipTokenizer.FromOpenAiMerges(txt);

            const string text = "x-ray chest anteroposterior Atelectasis.";
            Assert.Equal(gz.Encode(text), plain.Encode(text));
            Assert.Equal(gz.VocabularySize, plain.VocabularySize);
        }
        finally
        {
            File.Delete(txt);
        }
    }

    [Fact]
    public void EncodeForModel_ShortText_PadsWithEosAndMasksRealTokens()
    {
        ClipTokenizer tokenizer = RequireReal();

        ClipEncoding encoding = tokenizer.EncodeForModel("Hello World");

        long[] expectedIds = new long[77];
        Array.Fill(expectedIds, 49407L);
        expectedIds[0] = 49406;
        expectedIds[1] = 3306;
        expectedIds[2] = 1002;
        Assert.Equal(expectedIds, encoding.InputIds);
        Assert.Equal([1L, 1L, 1L, 1L], encoding.AttentionMask[..4]);
        Assert.All(encoding.AttentionMask[4..], m => Assert.Equal(0L, m));
        Assert.Equal(3, encoding.EosIndex);
        Assert.False(encoding.Truncated);
        Assert.Equal(4, encoding.TokenCount);
    }

    [Fact]
    public void EncodeForModel_LongText_KeepsSeventyFiveContentTokens()
    {
        ClipTokenizer tokenizer = RequireReal();
        string text = string.Join(' ', Enumerable.Repeat("hello world", 60)); // 120 content tokens

        ClipEncoding encoding = tokenizer.EncodeForModel(text);

        Assert.Equal(77, encoding.InputIds.Length);
        Assert.Equal(49406, encoding.InputIds[0]);
        Assert.Equal(49407, encoding.InputIds[76]);
        Assert.Equal(3306, encoding.InputIds[1]);
        Assert.Equal(1002, encoding.InputIds[2]);
        Assert.Equal(3306, encoding.InputIds[75]); // content token 75 is the 38th "hello"
        Assert.DoesNotContain(49407L, encoding.InputIds[1..76]);
        Assert.All(encoding.AttentionMask, m => Assert.Equal(1L, m));
        Assert.Equal(76, encoding.EosIndex);
        Assert.True(encoding.Truncated);
        Assert.Equal(122, encoding.TokenCount);
    }

    [Fact]
    public void EncodeForModel_EmptyText_IsBosEosAndPadding()
    {
        ClipTokenizer tokenizer = RequireReal();

        ClipEncoding encoding = tokenizer.EncodeForModel(string.Empty);

        Assert.Equal(49406, encoding.InputIds[0]);
        Assert.All(encoding.InputIds[1..], id => Assert.Equal(49407L, id));
        Assert.Equal([1L, 1L], encoding.AttentionMask[..2]);
        Assert.All(encoding.AttentionMask[2..], m => Assert.Equal(0L, m));
        Assert.Equal(1, encoding.EosIndex);
        Assert.Equal(2, encoding.TokenCount);
        Assert.False(encoding.Truncated);
    }

    [Fact]
    public void Encode_MultiDigitNumber_SplitsOneTokenPerDigit()
    {
        ClipTokenizer tokenizer = RequireReal();

        IReadOnlyList<int> ids = tokenizer.Encode("t2 1024");

        // "t</w>", then "2</w>", "1</w>", "0</w>", "2</w>", "4</w>": digits never merge.
        Assert.Equal([49406, 339, 273, 272, 271, 273, 275, 49407], ids);
    }

    [Fact]
    public void Encode_HtmlEscapedText_EqualsUnescapedText()
    {
        ClipTokenizer tokenizer = RequireReal();

        Assert.Equal(tokenizer.Encode("liver & spleen <5 cm>"), tokenizer.Encode("liver &amp;amp; spleen &lt;5 cm&gt;"));
        Assert.NotEqual(tokenizer.Encode("liver & spleen"), tokenizer.Encode("liver &amp spleen x"));
    }

    [Fact]
    public void FromOpenAiMerges_RealFile_LoadsWellUnderASecond()
    {
        string path = SharedTestData.File(MergesFile) ?? SkipMissing();
        _ = ClipTokenizer.FromOpenAiMerges(path); // warm up JIT

        var watch = System.Diagnostics.Stopwatch.StartNew();
        ClipTokenizer tokenizer = ClipTokenizer.FromOpenAiMerges(path);
        watch.Stop();

        Assert.Equal(49408, tokenizer.VocabularySize);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"loading took {watch.Elapsed}");
    }

    private static ClipTokenizer RequireReal()
    {
        Assert.SkipWhen(Real.Value is null || SharedTestData.File(VectorsFile) is null, SharedTestData.MissingReason);
        return Real.Value!;
    }

    private static string SkipMissing()
    {
        Assert.Skip(SharedTestData.MissingReason);
        return string.Empty;
    }

    private static List<JsonElement> LoadCases(string path)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return [.. doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone())];
    }
}
