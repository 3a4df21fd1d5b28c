using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace MedServe.Inference.Tokenization;

/// <summary>
/// CLIP's byte-level BPE tokenizer, reproducing OpenAI's <c>simple_tokenizer</c> (and Hugging Face's
/// <c>CLIPTokenizerFast</c>) id for id:
/// <code>
/// text ─► clean (html-unescape ×2, whitespace collapse, trim, lower-case)
///      ─► pre-tokenise (specials | contractions | letter runs | single digits | other runs)
///      ─► UTF-8 bytes ─► byte symbols, last one with &lt;/w&gt; ─► merge by rank (cached per word)
///      ─► BOS + ids + EOS ─► [truncate, pad with EOS, mask, first-EOS index]
/// </code>
/// Instances are immutable apart from the word cache and are safe to share between threads.
/// </summary>
/// <remarks>
/// This is a self-contained implementation rather than Microsoft.ML.Tokenizers' <c>BpeTokenizer</c>.
/// That tokenizer offers the merge loop and an end-of-word suffix, but not CLIP's byte-to-unicode
/// mapping, and its pre-tokenizers are .NET regular expressions that classify UTF-16 units rather than
/// code points; the Python cleaning (double html-unescape, <c>str.isspace</c> collapse, <c>str.lower</c>)
/// would also have to run outside it. Doing every stage here keeps the output exact, lets the merge
/// loop work on integer ids with a span-keyed cache, and avoids a dependency for about 200 lines.
/// </remarks>
public sealed class ClipTokenizer
{
    /// <summary>Number of merges OpenAI's loader keeps from its merges file (<c>49152 − 256 − 2</c>).</summary>
    public const int OpenAiMergeCount = 49152 - 256 - 2;

    /// <summary>The context length of the CLIP text towers MedServe serves.</summary>
    public const int DefaultContextLength = 77;

    private const string EndOfWord = "</w>";
    private const int MaxCachedWords = 50_000;
    private const int StackBufferLength = 128;

    private readonly int[] _byteIds;
    private readonly int[] _byteEndOfWordIds;

    // (left id << 32 | right id) → (rank << 32 | merged id).
    private readonly Dictionary<long, long> _merges;
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _cacheLookup;
    private int _cacheCount;

    private ClipTokenizer(Dictionary<string, int> vocabulary, IReadOnlyList<BpeMerge> merges)
    {
        _byteIds = new int[256];
        _byteEndOfWordIds = new int[256];
        for (int b = 0; b < 256; b++)
        {
            string symbol = ByteUnicode.ByteToChar[b].ToString();
            _byteIds[b] = Require(vocabulary, symbol);
            _byteEndOfWordIds[b] = Require(vocabulary, symbol + EndOfWord);
        }

        _merges = new Dictionary<long, long>(merges.Count);
        for (int rank = 0; rank < merges.Count; rank++)
        {
            BpeMerge merge = merges[rank];
            if (!vocabulary.TryGetValue(merge.Left, out int left) || !vocabulary.TryGetValue(merge.Right, out int right))
            {
                // A merge of symbols that can never occur cannot fire; the reference keeps it inert too.
                continue;
            }

            int merged = Require(vocabulary, merge.Left + merge.Right);

            // Later duplicates win, as in the reference's dict(zip(merges, range(...))).
            _merges[PairKey(left, right)] = ((long)rank << 32) | (uint)merged;
        }

        BosId = Require(vocabulary, ClipPreTokenizer.StartOfText);
        EosId = Require(vocabulary, ClipPreTokenizer.EndOfText);
        PadId = EosId;
        int maxId = 0;
        foreach (int id in vocabulary.Values)
        {
            maxId = Math.Max(maxId, id);
        }

        VocabularySize = maxId + 1;
        _cacheLookup = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Id of <c>&lt;|startoftext|&gt;</c> (49406 for the real vocabulary).</summary>
    public int BosId { get; }

    /// <summary>Id of <c>&lt;|endoftext|&gt;</c> (49407 for the real vocabulary).</summary>
    public int EosId { get; }

    /// <summary>Id used for padding; CLIP pads with <see cref="EosId"/>.</summary>
    public int PadId { get; }

    /// <summary>Highest id plus one, i.e. the rows of the token embedding (49408 for the real vocabulary).</summary>
    public int VocabularySize { get; }

    /// <summary>
    /// Loads OpenAI's merges file (<c>bpe_simple_vocab_16e6.txt.gz</c>, gzip or plain text): a header line,
    /// then one merge per line. The vocabulary is built as the reference builds it: the 256 byte symbols,
    /// the same with <c>&lt;/w&gt;</c>, one entry per merge (at most <see cref="OpenAiMergeCount"/>), then
    /// <c>&lt;|startoftext|&gt;</c> and <c>&lt;|endoftext|&gt;</c>.
    /// </summary>
    /// <param name="path">Path of the <c>.txt.gz</c> or <c>.txt</c> merges file.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="InvalidDataException">A merge line does not hold exactly two symbols.</exception>
    public static ClipTokenizer FromOpenAiMerges(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using Stream stream = OpenMaybeGzip(path);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);

        _ = reader.ReadLine(); // header
        var merges = ReadMerges(reader, OpenAiMergeCount, path);

        var vocabulary = new Dictionary<string, int>(512 + merges.Count + 2, StringComparer.Ordinal);
        int next = 0;
        foreach (byte b in ByteUnicode.OpenAiOrder)
        {
            vocabulary[ByteUnicode.ByteToChar[b].ToString()] = next++;
        }

        foreach (byte b in ByteUnicode.OpenAiOrder)
        {
            vocabulary[ByteUnicode.ByteToChar[b] + EndOfWord] = next++;
        }

        foreach (BpeMerge merge in merges)
        {
            vocabulary[merge.Left + merge.Right] = next++;
        }

        vocabulary[ClipPreTokenizer.StartOfText] = next++;
        vocabulary[ClipPreTokenizer.EndOfText] = next;
        return new ClipTokenizer(vocabulary, merges);
    }

    /// <summary>
    /// Loads the Hugging Face pair: <c>vocab.json</c> (token → id) and <c>merges.txt</c>
    /// (an optional <c>#version</c> header, then one merge per line, rank = line order).
    /// </summary>
    /// <param name="vocabJsonPath">Path of <c>vocab.json</c>.</param>
    /// <param name="mergesTxtPath">Path of <c>merges.txt</c>.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="InvalidDataException">The files are malformed or miss a required token.</exception>
    public static ClipTokenizer FromHuggingFace(string vocabJsonPath, string mergesTxtPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(vocabJsonPath);
        ArgumentException.ThrowIfNullOrEmpty(mergesTxtPath);

        Dictionary<string, int> vocabulary;
        using (FileStream json = File.OpenRead(vocabJsonPath))
        {
            vocabulary = JsonSerializer.Deserialize<Dictionary<string, int>>(json)
                ?? throw new InvalidDataException($"{vocabJsonPath} holds no vocabulary.");
        }

        using var reader = new StreamReader(mergesTxtPath, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        if (reader.Peek() == '#')
        {
            _ = reader.ReadLine();
        }

        var merges = ReadMerges(reader, int.MaxValue, mergesTxtPath);
        return new ClipTokenizer(new Dictionary<string, int>(vocabulary, StringComparer.Ordinal), merges);
    }

    /// <summary>Encodes <paramref name="text"/> to ids wrapped in BOS and EOS, without truncation.</summary>
    /// <param name="text">Any text; it is cleaned as the reference cleans it.</param>
    /// <returns>The ids.</returns>
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(16) { BosId };
        AppendContentIds(text, ids);
        ids.Add(EosId);
        return ids;
    }

    /// <summary>
    /// Encodes <paramref name="text"/> for the text tower: BOS, at most <c>contextLength − 2</c> content
    /// tokens, EOS, then padding with <see cref="PadId"/>.
    /// </summary>
    /// <param name="text">Any text.</param>
    /// <param name="contextLength">Sequence length of the model (at least 2).</param>
    /// <returns>The fixed-length encoding.</returns>
    public ClipEncoding EncodeForModel(string text, int contextLength = DefaultContextLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 2);

        var content = new List<int>(16);
        AppendContentIds(text, content);
        var ids = new long[contextLength];
        var mask = new long[contextLength];
        int eos = FillRow(CollectionsMarshalSpan(content), ids, mask);
        return new ClipEncoding
        {
            InputIds = ids,
            AttentionMask = mask,
            EosIndex = eos,
            Truncated = content.Count > contextLength - 2,
            TokenCount = content.Count + 2,
        };
    }

    /// <summary>
    /// Encodes a batch into caller-provided row-major tensors: <c>[B, contextLength]</c> ids and mask and
    /// <c>[B]</c> first-EOS indices, with the same rules as <see cref="EncodeForModel"/>.
    /// </summary>
    /// <param name="texts">The B texts.</param>
    /// <param name="inputIds">Destination of length at least <c>B × contextLength</c>.</param>
    /// <param name="attentionMask">Destination of length at least <c>B × contextLength</c>.</param>
    /// <param name="eosIndices">Destination of length at least B.</param>
    /// <param name="contextLength">Sequence length of the model (at least 2).</param>
    /// <returns>How many rows were truncated.</returns>
    public int EncodeBatch(
        IReadOnlyList<string> texts,
        Span<long> inputIds,
        Span<long> attentionMask,
        Span<long> eosIndices,
        int contextLength = DefaultContextLength)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 2);
        int rows = texts.Count;
        if (inputIds.Length < rows * contextLength || attentionMask.Length < rows * contextLength || eosIndices.Length < rows)
        {
            throw new ArgumentException("The destination spans are too small for the batch.");
        }

        var content = new List<int>(contextLength);
        int truncated = 0;
        for (int row = 0; row < rows; row++)
        {
            content.Clear();
            AppendContentIds(texts[row] ?? throw new ArgumentException($"Text {row} is null.", nameof(texts)), content);
            if (content.Count > contextLength - 2)
            {
                truncated++;
            }

            eosIndices[row] = FillRow(
                CollectionsMarshalSpan(content),
                inputIds.Slice(row * contextLength, contextLength),
                attentionMask.Slice(row * contextLength, contextLength));
        }

        return truncated;
    }

    private static ReadOnlySpan<int> CollectionsMarshalSpan(List<int> list) =>
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list);

    // Writes BOS, content (truncated), EOS, padding; returns the EOS index.
    private int FillRow(ReadOnlySpan<int> content, Span<long> ids, Span<long> mask)
    {
        int kept = Math.Min(content.Length, ids.Length - 2);
        ids[0] = BosId;
        for (int i = 0; i < kept; i++)
        {
            ids[i + 1] = content[i];
        }

        int eos = kept + 1;
        ids[eos] = EosId;
        ids[(eos + 1)..].Fill(PadId);
        mask[..(eos + 1)].Fill(1);
        mask[(eos + 1)..].Clear();

        // Text can spell <|endoftext|>; the encoder still pools at the first one.
        int first = ids[..(eos + 1)].IndexOf((long)EosId);
        return first;
    }

    private void AppendContentIds(string text, List<int> ids)
    {
        string normalized = ClipTextNormalizer.Normalize(text);
        ReadOnlySpan<char> span = normalized;
        int position = 0;
        while (ClipPreTokenizer.TryNext(span, ref position, out int start, out int length))
        {
            ReadOnlySpan<char> word = span.Slice(start, length);
            if (word.SequenceEqual(ClipPreTokenizer.StartOfText))
            {
                ids.Add(BosId);
            }
            else if (word.SequenceEqual(ClipPreTokenizer.EndOfText))
            {
                ids.Add(EosId);
            }
            else
            {
                ids.AddRange(WordIds(word));
            }
        }
    }

    private int[] WordIds(ReadOnlySpan<char> word)
    {
        if (_cacheLookup.TryGetValue(word, out int[]? cached))
        {
            return cached;
        }

        int[] ids = Bpe(word);

        // Bounded: when full, start over rather than track recency; hot words come back quickly.
        if (Interlocked.Increment(ref _cacheCount) > MaxCachedWords)
        {
            _cache.Clear();
            Interlocked.Exchange(ref _cacheCount, 1);
        }

        _cacheLookup.TryAdd(word, ids);
        return ids;
    }

    private int[] Bpe(ReadOnlySpan<char> word)
    {
        int maxBytes = Encoding.UTF8.GetMaxByteCount(word.Length);
        byte[]? rentedBytes = null;
        int[]? rentedSymbols = null;
        Span<byte> bytes = maxBytes <= StackBufferLength ? stackalloc byte[StackBufferLength] : (rentedBytes = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            int n = Encoding.UTF8.GetBytes(word, bytes);
            Span<int> symbols = n <= StackBufferLength ? stackalloc int[StackBufferLength] : (rentedSymbols = ArrayPool<int>.Shared.Rent(n));
            for (int i = 0; i < n - 1; i++)
            {
                symbols[i] = _byteIds[bytes[i]];
            }

            symbols[n - 1] = _byteEndOfWordIds[bytes[n - 1]];
            n = Merge(symbols[..n]);
            return symbols[..n].ToArray();
        }
        finally
        {
            if (rentedBytes is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedBytes);
            }

            if (rentedSymbols is not null)
            {
                ArrayPool<int>.Shared.Return(rentedSymbols);
            }
        }
    }

    // Repeatedly merges the lowest-ranked adjacent pair, all its occurrences left to right; returns the new length.
    private int Merge(Span<int> symbols)
    {
        int n = symbols.Length;
        while (n > 1)
        {
            long best = long.MaxValue;
            int bestIndex = -1;
            for (int i = 0; i < n - 1; i++)
            {
                if (_merges.TryGetValue(PairKey(symbols[i], symbols[i + 1]), out long rankAndId) && rankAndId < best)
                {
                    best = rankAndId;
                    bestIndex = i;
                }
            }

            if (bestIndex < 0)
            {
                break;
            }

            int left = symbols[bestIndex];
            int right = symbols[bestIndex + 1];
            int merged = (int)(best & 0xFFFFFFFF);
            int write = bestIndex;
            int read = bestIndex;
            while (read < n)
            {
                if (read < n - 1 && symbols[read] == left && symbols[read + 1] == right)
                {
                    symbols[write++] = merged;
                    read += 2;
                }
                else
                {
                    symbols[write++] = symbols[read++];
                }
            }

            n = write;
        }

        return n;
    }

    private static long PairKey(int left, int right) => ((long)left << 32) | (uint)right;

    private static int Require(Dictionary<string, int> vocabulary, string token) =>
        vocabulary.TryGetValue(token, out int id)
            ? id
            : throw new InvalidDataException($"The vocabulary has no entry for '{token}'.");

    private static List<BpeMerge> ReadMerges(TextReader reader, int limit, string source)
    {
        var merges = new List<BpeMerge>(Math.Min(limit, OpenAiMergeCount));
        int lineNumber = 1;
        while (merges.Count < limit && reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0 || space == line.Length - 1 || line.IndexOf(' ', space + 1) >= 0)
            {
                throw new InvalidDataException($"{source}:{lineNumber}: expected two symbols separated by one space.");
            }

            merges.Add(new BpeMerge(line[..space], line[(space + 1)..]));
        }

        return merges;
    }

    private static Stream OpenMaybeGzip(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        Span<byte> magic = stackalloc byte[2];
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B
            ? new GZipStream(file, CompressionMode.Decompress)
            : file;
    }
}
