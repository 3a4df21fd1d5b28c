using System.Globalization;
using System.Text;

namespace MedServe.Inference.Tokenization;

/// <summary>
/// The reference text cleaning of CLIP's <c>simple_tokenizer</c>, in its order:
/// <code>
/// html.unescape ×2 → \s+ → ' ' and strip → str.lower()
/// </code>
/// Whitespace and lower-casing follow Python's definitions (<c>str.isspace</c>, full lower-case mapping
/// of U+0130 and the final-sigma rule) rather than .NET's, so the same text yields the same tokens.
/// </summary>
/// <remarks>
/// ftfy's <c>fix_text</c> is deliberately not applied: the published CLIP tokenizers that the test vectors
/// come from (Hugging Face <c>CLIPTokenizerFast</c>, transformers.js) keep control characters and
/// full-width forms, and the contract only asks for whitespace collapse, trim and lower-case.
/// </remarks>
internal static class ClipTextNormalizer
{
    private const char CapitalSigma = '\u03A3';

    /// <summary>Cleans <paramref name="text"/> as the reference does before pre-tokenisation.</summary>
    public static string Normalize(string text)
    {
        string unescaped = HtmlUnescaper.Unescape(HtmlUnescaper.Unescape(text));
        return ToLowerPython(CollapseWhitespace(unescaped));
    }

    /// <summary>Python's <c>str.isspace</c> for one UTF-16 unit (no whitespace lies outside the BMP).</summary>
    public static bool IsPythonWhitespace(char c) => c switch
    {
        >= '\t' and <= '\r' => true,
        >= '\u001C' and <= ' ' => true,
        '\u0085' or '\u00A0' or '\u1680' or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' => true,
        >= '\u2000' and <= '\u200A' => true,
        _ => false,
    };

    private static string CollapseWhitespace(string text)
    {
        var sb = new StringBuilder(text.Length);
        bool pendingSpace = false;
        foreach (char c in text)
        {
            if (IsPythonWhitespace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static string ToLowerPython(string text)
    {
        bool needsSpecialCase = text.Contains('\u0130', StringComparison.Ordinal) || text.Contains(CapitalSigma, StringComparison.Ordinal);
        if (!needsSpecialCase)
        {
            return text.ToLowerInvariant();
        }

        var sb = new StringBuilder(text.Length + 4);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\u0130')
            {
                // Python's full mapping: i + combining dot above.
                sb.Append('i').Append('\u0307');
            }
            else if (c == CapitalSigma)
            {
                sb.Append(IsFinalSigma(text, i) ? '\u03C2' : '\u03C3');
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(Rune.ToLowerInvariant(new Rune(c, text[i + 1])).ToString());
                i++;
            }
            else
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }

        return sb.ToString();
    }

    // Unicode Final_Sigma: preceded by a cased letter and not followed by one, skipping case-ignorables.
    private static bool IsFinalSigma(string text, int index)
    {
        int j = index - 1;
        while (j >= 0 && IsCaseIgnorable(text[j]))
        {
            j--;
        }

        if (j < 0 || !IsCased(text[j]))
        {
            return false;
        }

        int k = index + 1;
        while (k < text.Length && IsCaseIgnorable(text[k]))
        {
            k++;
        }

        return k == text.Length || !IsCased(text[k]);
    }

    private static bool IsCased(char c) => CharUnicodeInfo.GetUnicodeCategory(c)
        is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;

    private static bool IsCaseIgnorable(char c) =>
        c is '\'' or '.' or ':' or '\u00B7' or '\u2018' or '\u2019' or '\u2024' or '\u2027'
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;
}
