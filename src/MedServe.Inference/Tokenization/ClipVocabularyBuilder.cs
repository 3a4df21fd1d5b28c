using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace MedServe.Inference.Tokenization;

/// <summary>
/// Builds a small CLIP-format BPE vocabulary for synthetic demo packages, which cannot ship OpenAI's
/// vocabulary. Merges are learnt from an embedded medical-imaging corpus with the tokenizer's own
/// cleaning, pre-tokenisation and byte mapping, so <see cref="ClipTokenizer"/> segments demo prompts into
/// few tokens. With N merges the specials land at ids <c>512 + N</c> and <c>513 + N</c>.
/// </summary>
/// <remarks>
/// Training is classic BPE: count adjacent symbol pairs over distinct words weighted by frequency, merge
/// the most frequent pair (ties broken by ordinal order of its two symbols), repeat. Pairs whose merged
/// text already exists are skipped so that every vocabulary entry is unique. The output is deterministic.
/// </remarks>
public static class ClipVocabularyBuilder
{
    /// <summary>Default number of merges of the demo vocabulary.</summary>
    public const int DefaultMergeCount = 2000;

    /// <summary>Header line written at the top of merges files.</summary>
    public const string Header = "#version: 0.2";

    private const string EndOfWord = "</w>";

    /// <summary>The embedded corpus, one phrase per entry.</summary>
    public static IReadOnlyList<string> Corpus { get; } =
        MedicalImagingCorpus.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Learns up to <paramref name="mergeCount"/> merges from the embedded corpus.</summary>
    /// <param name="mergeCount">Maximum number of merges; fewer when the corpus runs out of pairs.</param>
    /// <returns>The merges in rank order.</returns>
    public static IReadOnlyList<BpeMerge> LearnMerges(int mergeCount = DefaultMergeCount) => LearnMerges(Corpus, mergeCount);

    /// <summary>Learns up to <paramref name="mergeCount"/> merges from <paramref name="corpus"/>.</summary>
    /// <param name="corpus">Training text; each entry is cleaned and pre-tokenised like tokenizer input.</param>
    /// <param name="mergeCount">Maximum number of merges; fewer when the corpus runs out of pairs.</param>
    /// <returns>The merges in rank order.</returns>
    public static IReadOnlyList<BpeMerge> LearnMerges(IEnumerable<string> corpus, int mergeCount)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentOutOfRangeException.ThrowIfNegative(mergeCount);

        var symbols = new List<string>();
        var symbolIds = new Dictionary<string, int>(StringComparer.Ordinal);
        int SymbolId(string s)
        {
            if (!symbolIds.TryGetValue(s, out int id))
            {
                id = symbols.Count;
                symbols.Add(s);
                symbolIds.Add(s, id);
            }

            return id;
        }

        // Every byte symbol exists in the vocabulary from the start, whether the corpus uses it or not.
        for (int b = 0; b < 256; b++)
        {
            _ = SymbolId(ByteUnicode.ByteToChar[b].ToString());
            _ = SymbolId(ByteUnicode.ByteToChar[b] + EndOfWord);
        }

        (List<int[]> words, List<int> counts) = CollectWords(corpus, SymbolId);
        var lengths = new int[words.Count];
        for (int w = 0; w < words.Count; w++)
        {
            lengths[w] = words[w].Length;
        }

        var merges = new List<BpeMerge>(mergeCount);
        var pairCounts = new Dictionary<long, int>();
        while (merges.Count < mergeCount)
        {
            pairCounts.Clear();
            for (int w = 0; w < words.Count; w++)
            {
                int[] word = words[w];
                for (int i = 0; i < lengths[w] - 1; i++)
                {
                    long key = ((long)word[i] << 32) | (uint)word[i + 1];
                    pairCounts[key] = pairCounts.GetValueOrDefault(key) + counts[w];
                }
            }

            long best = -1;
            int bestCount = 0;
            foreach ((long key, int count) in pairCounts)
            {
                if (count < bestCount || (count == bestCount && ComparePairs(symbols, key, best) >= 0))
                {
                    continue;
                }

                if (symbolIds.ContainsKey(symbols[(int)(key >> 32)] + symbols[(int)key]))
                {
                    continue;
                }

                best = key;
                bestCount = count;
            }

            if (best < 0)
            {
                break;
            }

            int left = (int)(best >> 32);
            int right = (int)best;
            int merged = SymbolId(symbols[left] + symbols[right]);
            merges.Add(new BpeMerge(symbols[left], symbols[right]));
            for (int w = 0; w < words.Count; w++)
            {
                lengths[w] = ApplyMerge(words[w], lengths[w], left, right, merged);
            }
        }

        return merges;
    }

    /// <summary>Writes <paramref name="merges"/> as an OpenAI merges file: gzip, header line, one merge per line.</summary>
    /// <param name="merges">The merges in rank order.</param>
    /// <param name="destination">Receives the gzip bytes; left open.</param>
    /// <remarks>
    /// No newline follows the last merge: OpenAI's loader splits on <c>'\n'</c> and would otherwise read an
    /// empty merge, shifting the special-token ids by one.
    /// </remarks>
    public static void WriteOpenAiMerges(IReadOnlyList<BpeMerge> merges, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(merges);
        ArgumentNullException.ThrowIfNull(destination);
        using var gzip = new GZipStream(destination, CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new StreamWriter(gzip, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
        writer.Write(Header);
        foreach (BpeMerge merge in merges)
        {
            writer.Write('\n');
            writer.Write(merge.Left);
            writer.Write(' ');
            writer.Write(merge.Right);
        }
    }

    /// <summary>Learns the demo merges from the embedded corpus and returns the gzip merges file.</summary>
    /// <param name="mergeCount">Maximum number of merges.</param>
    /// <returns>The bytes of a <c>.txt.gz</c> file that <see cref="ClipTokenizer.FromOpenAiMerges"/> loads.</returns>
    public static byte[] BuildOpenAiMergesGz(int mergeCount = DefaultMergeCount)
    {
        using var buffer = new MemoryStream();
        WriteOpenAiMerges(LearnMerges(mergeCount), buffer);
        return buffer.ToArray();
    }

    /// <summary>
    /// Writes the Hugging Face pair for the vocabulary that <see cref="ClipTokenizer.FromOpenAiMerges"/>
    /// builds from <paramref name="merges"/>: <c>vocab.json</c> (same ids) and <c>merges.txt</c>.
    /// </summary>
    /// <param name="merges">The merges in rank order.</param>
    /// <param name="vocabJsonPath">Destination of <c>vocab.json</c>.</param>
    /// <param name="mergesTxtPath">Destination of <c>merges.txt</c>.</param>
    public static void WriteHuggingFace(IReadOnlyList<BpeMerge> merges, string vocabJsonPath, string mergesTxtPath)
    {
        ArgumentNullException.ThrowIfNull(merges);
        ArgumentException.ThrowIfNullOrEmpty(vocabJsonPath);
        ArgumentException.ThrowIfNullOrEmpty(mergesTxtPath);

        using (FileStream json = File.Create(vocabJsonPath))
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Indented = false }))
        {
            writer.WriteStartObject();
            int id = 0;
            foreach (byte b in ByteUnicode.OpenAiOrder)
            {
                writer.WriteNumber(ByteUnicode.ByteToChar[b].ToString(), id++);
            }

            foreach (byte b in ByteUnicode.OpenAiOrder)
            {
                writer.WriteNumber(ByteUnicode.ByteToChar[b] + EndOfWord, id++);
            }

            foreach (BpeMerge merge in merges)
            {
                writer.WriteNumber(merge.Left + merge.Right, id++);
            }

            writer.WriteNumber(ClipPreTokenizer.StartOfText, id++);
            writer.WriteNumber(ClipPreTokenizer.EndOfText, id);
            writer.WriteEndObject();
        }

        var text = new StringBuilder(Header).Append('\n');
        foreach (BpeMerge merge in merges)
        {
            text.Append(merge.Left).Append(' ').Append(merge.Right).Append('\n');
        }

        File.WriteAllText(mergesTxtPath, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private static (List<int[]> Words, List<int> Counts) CollectWords(IEnumerable<string> corpus, Func<string, int> symbolId)
    {
        var wordCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (string line in corpus)
        {
            string normalized = ClipTextNormalizer.Normalize(line);
            int position = 0;
            while (ClipPreTokenizer.TryNext(normalized, ref position, out int start, out int length))
            {
                string word = normalized.Substring(start, length);
                if (word is ClipPreTokenizer.StartOfText or ClipPreTokenizer.EndOfText)
                {
                    continue;
                }

                if (wordCounts.TryGetValue(word, out int count))
                {
                    wordCounts[word] = count + 1;
                }
                else
                {
                    wordCounts.Add(word, 1);
                    order.Add(word);
                }
            }
        }

        var words = new List<int[]>(order.Count);
        var counts = new List<int>(order.Count);
        foreach (string word in order)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(word);
            var ids = new int[bytes.Length];
            for (int i = 0; i < bytes.Length; i++)
            {
                string symbol = ByteUnicode.ByteToChar[bytes[i]].ToString();
                ids[i] = symbolId(i == bytes.Length - 1 ? symbol + EndOfWord : symbol);
            }

            words.Add(ids);
            counts.Add(wordCounts[word]);
        }

        return (words, counts);
    }

    // Ordinal order of (left, right) text; a negative result means a sorts first. b < 0 means "no pair yet".
    private static int ComparePairs(List<string> symbols, long a, long b)
    {
        if (b < 0)
        {
            return -1;
        }

        int byLeft = string.CompareOrdinal(symbols[(int)(a >> 32)], symbols[(int)(b >> 32)]);
        return byLeft != 0 ? byLeft : string.CompareOrdinal(symbols[(int)a], symbols[(int)b]);
    }

    private static int ApplyMerge(int[] word, int length, int left, int right, int merged)
    {
        int write = 0;
        int read = 0;
        while (read < length)
        {
            if (read < length - 1 && word[read] == left && word[read + 1] == right)
            {
                word[write++] = merged;
                read += 2;
            }
            else
            {
                word[write++] = word[read++];
            }
        }

        return write;
    }
}
