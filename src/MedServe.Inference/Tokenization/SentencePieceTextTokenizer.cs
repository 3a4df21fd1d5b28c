using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace MedServe.Inference.Tokenization;

/// <summary>
/// A Llama/Phi-3 SentencePiece BPE tokenizer (<c>tokenizer.model</c>) plus the model's added tokens
/// (chat markers, image placeholder, grounding tokens), on Microsoft.ML.Tokenizers'
/// <see cref="LlamaTokenizer"/>:
/// <code>
/// text ─► split at added tokens (each one id) ─► pieces: dummy prefix, ▁ for spaces, BPE by score, byte fallback
///      ─► [&lt;s&gt;] ids
/// </code>
/// </summary>
public sealed class SentencePieceTextTokenizer
{
    private readonly LlamaTokenizer _tokenizer;
    private readonly Dictionary<string, int> _addedTokens;
    private readonly bool _addBeginOfSentence;

    private SentencePieceTextTokenizer(LlamaTokenizer tokenizer, Dictionary<string, int> addedTokens, bool addBeginOfSentence)
    {
        _tokenizer = tokenizer;
        _addedTokens = addedTokens;
        _addBeginOfSentence = addBeginOfSentence;
        int pieces = tokenizer.Vocabulary.Count;
        VocabularySize = Math.Max(pieces, addedTokens.Count == 0 ? 0 : addedTokens.Values.Max() + 1);
    }

    /// <summary>The number of ids: the pieces of the model and every added token.</summary>
    public int VocabularySize { get; }

    /// <summary>The id of <c>&lt;s&gt;</c>.</summary>
    public int BeginOfSentenceId => _tokenizer.BeginningOfSentenceId;

    /// <summary>The id of <c>&lt;/s&gt;</c>.</summary>
    public int EndOfSentenceId => _tokenizer.EndOfSentenceId;

    /// <summary>The added tokens and their ids.</summary>
    public IReadOnlyDictionary<string, int> AddedTokens => _addedTokens;

    /// <summary>
    /// Loads <paramref name="modelPath"/> (a SentencePiece BPE <c>ModelProto</c>) and, when given, a
    /// Hugging Face <c>added_tokens.json</c> (<c>{"&lt;|end|&gt;": 32007, …}</c>).
    /// </summary>
    /// <exception cref="InvalidDataException">A file is not what it should be.</exception>
    public static SentencePieceTextTokenizer Load(string modelPath, string? addedTokensPath, bool addBeginOfSentence)
    {
        var added = addedTokensPath is null ? new Dictionary<string, int>(StringComparer.Ordinal) : ReadAddedTokens(addedTokensPath);
        using var stream = File.OpenRead(modelPath);
        LlamaTokenizer tokenizer;
        try
        {
            tokenizer = LlamaTokenizer.Create(stream, addBeginOfSentence, addEndOfSentence: false, specialTokens: added.Count == 0 ? null : added);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or NotSupportedException
            or Google.Protobuf.InvalidProtocolBufferException)
        {
            throw new InvalidDataException($"'{Path.GetFileName(modelPath)}' is not a SentencePiece BPE model ({ex.Message})", ex);
        }

        return new SentencePieceTextTokenizer(tokenizer, added, addBeginOfSentence);
    }

    private static Dictionary<string, int> ReadAddedTokens(string path)
    {
        var tokens = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"'{Path.GetFileName(path)}' must be a JSON object of token → id");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out int id) || id < 0)
                {
                    throw new InvalidDataException($"'{Path.GetFileName(path)}': the id of an added token must be a non-negative integer");
                }

                tokens[property.Name] = id;
            }
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{Path.GetFileName(path)}' is not valid JSON ({ex.Message})", ex);
        }

        return tokens;
    }

    /// <summary>Encodes text; added tokens in the text become their ids; <c>&lt;s&gt;</c> first when the package says so.</summary>
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _tokenizer.EncodeToIds(text, _addBeginOfSentence, addEndOfSentence: false);
    }

    /// <summary>Decodes ids to text; added and control tokens are written out when <paramref name="withSpecialTokens"/>.</summary>
    public string Decode(IEnumerable<int> ids, bool withSpecialTokens = true) =>
        _tokenizer.Decode(ids, considerSpecialTokens: withSpecialTokens);

    /// <summary>The id of an added token or a piece, or null.</summary>
    public int? TokenToId(string token)
    {
        if (_addedTokens.TryGetValue(token, out int id))
        {
            return id;
        }

        return _tokenizer.Vocabulary.TryGetValue(token, out int piece) ? piece : null;
    }
}
