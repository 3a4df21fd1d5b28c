using MedServe.Inference.Tokenization;
using static MedServe.Inference.Tests.Tokenization.TinyVocabulary;

namespace MedServe.Inference.Tests.Tokenization;

/// <summary>Tokenizer rules on a hand-made vocabulary; needs no shared test data.</summary>
public sealed class ClipTokenizerTests
{
    private readonly ClipTokenizer _tokenizer = Load();

    [Fact]
    public void FromOpenAiMerges_TinyFile_PlacesSpecialsAfterMerges()
    {
        Assert.Equal(Bos, _tokenizer.BosId);
        Assert.Equal(Eos, _tokenizer.EosId);
        Assert.Equal(Eos, _tokenizer.PadId);
        Assert.Equal(519, _tokenizer.VocabularySize);
    }

    [Theory]
    [InlineData("low", new[] { Bos, LowEnd, Eos })]
    [InlineData("LOWER", new[] { Bos, LowerEnd, Eos })]
    [InlineData("lowly", new[] { Bos, Low, 'l' - 33, 'y' - 33 + 256, Eos })]
    [InlineData("lol", new[] { Bos, Lo, 'l' - 33 + 256, Eos })]
    [InlineData("ro", new[] { Bos, 'r' - 33, 'o' - 33 + 256, Eos })]
    [InlineData("  low \t\n low  ", new[] { Bos, LowEnd, LowEnd, Eos })]
    public void Encode_TinyVocabulary_MergesByRank(string text, int[] expected)
    {
        Assert.Equal(expected, _tokenizer.Encode(text));
    }

    [Fact]
    public void Encode_DigitsAndContraction_SplitsLikeClipRegex()
    {
        // "2</w>", "low</w>", "'s</w>" → "'" and "s</w>" (no merge for them), "1</w>", "0</w>".
        int[] expected = [Bos, ByteEnd('2'), LowEnd, Byte('\''), ByteEnd('s'), ByteEnd('1'), ByteEnd('0'), Eos];

        Assert.Equal(expected, _tokenizer.Encode("2low's 10"));
    }

    [Fact]
    public void Encode_NonAsciiLetter_UsesUtf8ByteSymbols()
    {
        // é = C3 A9; byte 0xC3 is the 128th printable byte (id 127), 0xA9 the 103rd (id 102, +256 at word end).
        Assert.Equal([Bos, 127, 102 + 256, Eos], _tokenizer.Encode("É"));
    }

    [Fact]
    public void Encode_ControlCharacter_IsKeptAsItsOwnByteToken()
    {
        // No ftfy: NUL survives as an "other" run; byte 0x00 is the first non-printable byte (id 188, 444 at word end).
        IReadOnlyList<int> ids = _tokenizer.Encode("low\u0000");

        Assert.Equal([Bos, LowEnd, 188 + 256, Eos], ids);
    }

    [Fact]
    public void Encode_SpecialTokenText_MapsToSpecialIds()
    {
        Assert.Equal([Bos, Bos, LowEnd, Eos, Eos], _tokenizer.Encode("<|startoftext|>low<|ENDOFTEXT|>"));
    }

    [Fact]
    public void Encode_HtmlEntities_AreUnescapedTwice()
    {
        Assert.Equal([Bos, ByteEnd('<'), LowEnd, Eos], _tokenizer.Encode("&amp;lt; low"));
    }

    [Fact]
    public void EncodeForModel_ShortText_PadsWithPadIdAndMasks()
    {
        ClipEncoding encoding = _tokenizer.EncodeForModel("low lower", contextLength: 6);

        Assert.Equal([Bos, LowEnd, LowerEnd, Eos, Eos, Eos], encoding.InputIds);
        Assert.Equal([1L, 1L, 1L, 1L, 0L, 0L], encoding.AttentionMask);
        Assert.Equal(3, encoding.EosIndex);
        Assert.False(encoding.Truncated);
        Assert.Equal(4, encoding.TokenCount);
    }

    [Fact]
    public void EncodeForModel_LongText_TruncatesContentAndKeepsEos()
    {
        ClipEncoding encoding = _tokenizer.EncodeForModel("low lower ro low", contextLength: 5);

        Assert.Equal([Bos, LowEnd, LowerEnd, Byte('r'), Eos], encoding.InputIds);
        Assert.All(encoding.AttentionMask, m => Assert.Equal(1L, m));
        Assert.Equal(4, encoding.EosIndex);
        Assert.True(encoding.Truncated);
        Assert.Equal(7, encoding.TokenCount);
    }

    [Fact]
    public void EncodeForModel_EndOfTextInsideText_PoolsAtFirstEos()
    {
        ClipEncoding encoding = _tokenizer.EncodeForModel("low <|endoftext|> low", contextLength: 8);

        Assert.Equal([Bos, LowEnd, Eos, LowEnd, Eos, Eos, Eos, Eos], encoding.InputIds);
        Assert.Equal(2, encoding.EosIndex);
        Assert.Equal([1L, 1L, 1L, 1L, 1L, 0L, 0L, 0L], encoding.AttentionMask);
    }

    [Fact]
    public void EncodeForModel_ContextLengthBelowTwo_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _tokenizer.EncodeForModel("low", contextLength: 1));
    }

    [Fact]
    public void EncodeBatch_Rows_MatchEncodeForModel()
    {
        string[] texts = ["low", string.Empty, "lower lowly ro low low", "é"];
        const int context = 6;
        var ids = new long[texts.Length * context];
        var mask = new long[texts.Length * context];
        var eos = new long[texts.Length];

        int truncated = _tokenizer.EncodeBatch(texts, ids, mask, eos, context);

        Assert.Equal(1, truncated);
        for (int row = 0; row < texts.Length; row++)
        {
            ClipEncoding single = _tokenizer.EncodeForModel(texts[row], context);
            Assert.Equal(single.InputIds, ids[(row * context)..((row + 1) * context)]);
            Assert.Equal(single.AttentionMask, mask[(row * context)..((row + 1) * context)]);
            Assert.Equal(single.EosIndex, eos[row]);
        }
    }

    [Fact]
    public void EncodeBatch_DestinationTooSmall_Throws()
    {
        Assert.Throws<ArgumentException>(() => _tokenizer.EncodeBatch(["low", "low"], new long[10], new long[12], new long[2], 6));
    }

    [Fact]
    public void FromOpenAiMerges_MalformedLine_Throws()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bad-merges-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, "#version: 0.2\nl o\nlow\n");
        try
        {
            Assert.Throws<InvalidDataException>(() => ClipTokenizer.FromOpenAiMerges(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Encode_ParallelCallers_AgreeWithSequentialResults()
    {
        ClipTokenizer tokenizer = DemoVocabulary.LoadTokenizer();
        string[] texts = [.. ClipVocabularyBuilder.Corpus, "ct abdomen liver lesion 12 mm", "ÜBER-große Läsion", "x-ray 😀 chest"];
        IReadOnlyList<int>[] expected = [.. texts.Select(DemoVocabulary.LoadTokenizer().Encode)];

        var results = new IReadOnlyList<int>[texts.Length * 8];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results[i] = tokenizer.Encode(texts[i % texts.Length]));

        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal(expected[i % texts.Length], results[i]);
        }
    }
}
