using System.Text.RegularExpressions;

namespace MedServe.Models.CxrReportGen;

/// <summary>
/// Turns generated token ids into findings, by the grounded grammar:
/// <code>
/// output  := plain-text | ( ws* object )* ws*
/// object  := &lt;obj&gt; phrase box* &lt;/obj&gt;
/// box     := &lt;box&gt; &lt;xN&gt; &lt;yN&gt; &lt;xN&gt; &lt;yN&gt; &lt;/box&gt;        coordinate = (N + 0.5) / bins
/// </code>
/// It reads ids, not decoded text, so a phrase can never be mistaken for a token. Output with no grammar
/// token at all is plain text and gives one ungrounded finding per sentence; anything else that breaks the
/// grammar is a model error whose reason names the token position, never the text.
/// </summary>
internal sealed partial class FindingsParser(GroundingVocabulary vocabulary, Func<IEnumerable<int>, string> decode)
{
    /// <summary>Parses <paramref name="tokens"/> (EOS excluded); returns null with a client-safe reason on a grammar error.</summary>
    public IReadOnlyList<Finding>? Parse(IReadOnlyList<int> tokens, out string reason)
    {
        reason = "";
        if (!tokens.Any(vocabulary.IsGrammarToken))
        {
            return SplitSentences(decode(tokens));
        }

        var findings = new List<Finding>();
        var text = new List<int>();
        int i = 0;
        while (i < tokens.Count)
        {
            if (tokens[i] != vocabulary.ObjectStart)
            {
                text.Clear();
                while (i < tokens.Count && !vocabulary.IsGrammarToken(tokens[i]))
                {
                    text.Add(tokens[i++]);
                }

                if (decode(text).Trim().Length > 0)
                {
                    reason = Error(i - text.Count, "text outside <obj>…</obj>");
                    return null;
                }

                if (i < tokens.Count && tokens[i] != vocabulary.ObjectStart)
                {
                    reason = Error(i, "a grounding token outside <obj>…</obj>");
                    return null;
                }

                continue;
            }

            int start = i++;
            text.Clear();
            while (i < tokens.Count && !vocabulary.IsGrammarToken(tokens[i]))
            {
                text.Add(tokens[i++]);
            }

            string phrase = decode(text).Trim();
            List<FindingBox>? boxes = null;
            while (i < tokens.Count && tokens[i] == vocabulary.BoxStart)
            {
                if (!TryReadBox(tokens, i, out var box))
                {
                    reason = Error(i, "a <box> must hold <xN><yN><xN><yN> and close with </box>");
                    return null;
                }

                (boxes ??= []).Add(box);
                i += 6;
            }

            if (i >= tokens.Count)
            {
                reason = Error(start, "the output ended inside <obj>…</obj> (max_new_tokens reached?)");
                return null;
            }

            if (tokens[i] != vocabulary.ObjectEnd)
            {
                reason = Error(i, "expected </obj> after the phrase and its boxes");
                return null;
            }

            i++;
            findings.Add(new Finding(phrase, boxes));
        }

        return findings;
    }

    private bool TryReadBox(IReadOnlyList<int> tokens, int at, out FindingBox box)
    {
        box = default;
        if (at + 5 >= tokens.Count || tokens[at + 5] != vocabulary.BoxEnd
            || !vocabulary.TryGetX(tokens[at + 1], out int x0) || !vocabulary.TryGetY(tokens[at + 2], out int y0)
            || !vocabulary.TryGetX(tokens[at + 3], out int x1) || !vocabulary.TryGetY(tokens[at + 4], out int y1))
        {
            return false;
        }

        double bins = vocabulary.Bins;
        box = new FindingBox((x0 + 0.5) / bins, (y0 + 0.5) / bins, (x1 + 0.5) / bins, (y1 + 0.5) / bins);
        return true;
    }

    /// <summary>Plain output: one ungrounded finding per sentence (split after . ! or ? followed by white space).</summary>
    internal static IReadOnlyList<Finding> SplitSentences(string text)
    {
        var findings = new List<Finding>();
        foreach (string sentence in SentenceBreak().Split(text.Trim()))
        {
            if (sentence.Length > 0)
            {
                findings.Add(new Finding(sentence, null));
            }
        }

        return findings;
    }

    private static string Error(int position, string what) =>
        $"the generated findings do not follow the grounding grammar: {what} at generated token {position}";

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceBreak();
}
