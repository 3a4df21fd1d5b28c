using MedServe.Inference.Tokenization;
using MedServe.Onnx.SentencePiece;

namespace MedServe.Inference.Tests.Tokenization;

public sealed class SentencePieceTextTokenizerTests : IDisposable
{
    private static readonly string[] Corpus = ["The heart size is normal.", "Patchy opacity in the left lung."];
    private readonly string _directory = Directory.CreateTempSubdirectory("medserve-sp-").FullName;
    private readonly IReadOnlyList<string> _pieces = SentencePieceModelBuilder.Pieces(Corpus);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private SentencePieceTextTokenizer Load(bool addBos = true, bool withAdded = true)
    {
        string model = Path.Combine(_directory, "tokenizer.model");
        File.WriteAllBytes(model, SentencePieceModelBuilder.Build(Corpus));
        string added = Path.Combine(_directory, "added_tokens.json");
        int n = _pieces.Count;
        File.WriteAllText(added, $"{{\"<obj>\": {n}, \"</obj>\": {n + 1}, \"<|user|>\": {n + 2}}}");
        return SentencePieceTextTokenizer.Load(model, withAdded ? added : null, addBos);
    }

    private int Piece(string piece) => _pieces.ToList().IndexOf(piece);

    [Fact]
    public void Encode_CorpusWords_AreOnePieceEachAfterBos()
    {
        var tokenizer = Load();
        Assert.Equal([1, Piece("▁The"), Piece("▁heart"), Piece("▁size"), Piece("▁is"), Piece("▁normal.")], tokenizer.Encode("The heart size is normal."));
    }

    [Fact]
    public void Encode_AddedTokens_BecomeTheirIdsAndTextAroundThemIsPieces()
    {
        var tokenizer = Load(addBos: false);
        int n = _pieces.Count;
        var ids = tokenizer.Encode("<obj>Patchy opacity</obj>");
        Assert.Equal(n, ids[0]);
        Assert.Equal(n + 1, ids[^1]);
        Assert.Contains(Piece("▁opacity"), ids);
        Assert.Equal(n + 3, tokenizer.VocabularySize);
    }

    [Theory]
    [InlineData("The heart size is normal.")]
    [InlineData("<|user|>\nPatchy opacity in the left lung.<obj>zebra é ✓</obj>")]
    [InlineData("  two  spaces and\ttabs\n")]
    public void Decode_OfEncode_GivesTheTextBack(string text)
    {
        var tokenizer = Load(addBos: false);
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void Encode_UnknownCharacters_FallBackToUtf8Bytes()
    {
        var tokenizer = Load(addBos: false);
        var ids = tokenizer.Encode("é");
        Assert.Equal([Piece("▁"), Piece("<0xC3>"), Piece("<0xA9>")], ids);
    }

    [Fact]
    public void Decode_WithoutSpecialTokens_DropsAddedAndControlTokens()
    {
        var tokenizer = Load();
        var ids = tokenizer.Encode("<obj>The heart</obj>");
        Assert.Equal("The heart", tokenizer.Decode(ids, withSpecialTokens: false).Trim());
        Assert.Contains("<obj>", tokenizer.Decode(ids), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotASentencePieceModel_IsInvalidData()
    {
        string bad = Path.Combine(_directory, "bad.model");
        File.WriteAllBytes(bad, [0x0a, 0xff, 0xff, 0x01]);
        Assert.Throws<InvalidDataException>(() => SentencePieceTextTokenizer.Load(bad, null, true));
    }
}
