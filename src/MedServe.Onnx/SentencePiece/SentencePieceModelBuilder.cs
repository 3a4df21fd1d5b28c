using System.Globalization;
using System.Text;
using MedServe.Onnx.Protobuf;

namespace MedServe.Onnx.SentencePiece;

/// <summary>
/// Writes a small SentencePiece BPE <c>tokenizer.model</c> (a <c>sentencepiece.ModelProto</c>) in the
/// layout of Llama and Phi-3 models: <c>&lt;unk&gt;</c> 0, <c>&lt;s&gt;</c> 1, <c>&lt;/s&gt;</c> 2, the 256
/// byte-fallback pieces <c>&lt;0x00&gt;</c>…<c>&lt;0xFF&gt;</c>, every character of the corpus, then every
/// <c>▁</c>-prefix of every corpus word, so a corpus word encodes to one piece and anything else falls
/// back to characters and bytes. Dummy prefix on, whitespace escaped to <c>▁</c>, byte fallback on.
/// For tests and demo packages; real packages ship the model's own file.
/// </summary>
public static class SentencePieceModelBuilder
{
    /// <summary>The id of <c>&lt;unk&gt;</c>.</summary>
    public const int UnknownId = 0;

    /// <summary>The id of <c>&lt;s&gt;</c>.</summary>
    public const int BeginOfSentenceId = 1;

    /// <summary>The id of <c>&lt;/s&gt;</c>.</summary>
    public const int EndOfSentenceId = 2;

    /// <summary>The SentencePiece whitespace symbol (U+2581).</summary>
    public const char Whitespace = '\u2581';

    // sentencepiece_model.proto: ModelProto.pieces = 1, trainer_spec = 2, normalizer_spec = 3;
    // SentencePiece.piece = 1, score = 2, type = 3 (NORMAL 1, UNKNOWN 2, CONTROL 3, BYTE 6);
    // TrainerSpec.model_type = 3 (BPE 2), vocab_size = 4, byte_fallback = 35, unk/bos/eos/pad_id = 40..43;
    // NormalizerSpec.name = 1, add_dummy_prefix = 3, remove_extra_whitespaces = 4, escape_whitespaces = 5.
    private const int TypeNormal = 1;
    private const int TypeUnknown = 2;
    private const int TypeControl = 3;
    private const int TypeByte = 6;
    private const int ModelTypeBpe = 2;

    /// <summary>The pieces the model would hold for <paramref name="corpus"/>, in id order.</summary>
    public static IReadOnlyList<string> Pieces(IEnumerable<string> corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var pieces = new List<string> { "<unk>", "<s>", "</s>" };
        for (int b = 0; b < 256; b++)
        {
            pieces.Add(string.Create(CultureInfo.InvariantCulture, $"<0x{b:X2}>"));
        }

        var seen = new HashSet<string>(pieces, StringComparer.Ordinal);
        var chars = new SortedSet<string>(StringComparer.Ordinal) { Whitespace.ToString() };
        var prefixes = new List<string>();
        foreach (string text in corpus)
        {
            foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                string escaped = Whitespace + word;
                var runes = escaped.EnumerateRunes().Select(r => r.ToString()).ToArray();
                foreach (string rune in runes)
                {
                    chars.Add(rune);
                }

                var prefix = new StringBuilder(runes[0]);
                for (int i = 1; i < runes.Length; i++)
                {
                    prefix.Append(runes[i]);
                    prefixes.Add(prefix.ToString());
                }
            }
        }

        foreach (string piece in chars.Concat(prefixes))
        {
            if (seen.Add(piece))
            {
                pieces.Add(piece);
            }
        }

        return pieces;
    }

    /// <summary>Builds the <c>tokenizer.model</c> bytes for <paramref name="corpus"/> (each string split on spaces).</summary>
    public static byte[] Build(IEnumerable<string> corpus)
    {
        var pieces = Pieces(corpus);
        var model = new ProtoWriter(pieces.Count * 16);
        for (int id = 0; id < pieces.Count; id++)
        {
            var piece = new ProtoWriter();
            piece.WriteString(1, pieces[id]);
            // BPE merges the pair whose merged piece scores highest; shorter pieces score higher, so
            // a word is built left to right from its prefixes.
            piece.WriteFloat(2, id < 259 ? 0f : -id);
            int type = id switch
            {
                UnknownId => TypeUnknown,
                BeginOfSentenceId or EndOfSentenceId => TypeControl,
                < 259 => TypeByte,
                _ => TypeNormal,
            };
            piece.WriteInt32(3, type);
            model.WriteMessage(1, piece);
        }

        var trainer = new ProtoWriter();
        trainer.WriteInt32(3, ModelTypeBpe);
        trainer.WriteInt32(4, pieces.Count);
        trainer.WriteInt32(35, 1);
        trainer.WriteInt32(40, UnknownId);
        trainer.WriteInt32(41, BeginOfSentenceId);
        trainer.WriteInt32(42, EndOfSentenceId);
        trainer.WriteInt32(43, -1);
        model.WriteMessage(2, trainer);

        var normalizer = new ProtoWriter();
        normalizer.WriteString(1, "identity");
        normalizer.WriteInt32(3, 1);
        normalizer.WriteInt32(4, 0);
        normalizer.WriteInt32(5, 1);
        model.WriteMessage(3, normalizer);
        return model.ToArray();
    }
}
