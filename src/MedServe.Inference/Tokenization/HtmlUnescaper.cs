using System.Net;
using System.Text;

namespace MedServe.Inference.Tokenization;

/// <summary>
/// Character-reference decoding that follows Python's <c>html.unescape</c>, which the reference CLIP
/// tokenizer applies twice: numeric references with or without <c>;</c>, the WHATWG replacements for
/// C1 and invalid code points, named references with <c>;</c>, and the legacy names (HTML 4 Latin-1
/// set plus amp/lt/gt/quot) that also work without <c>;</c>, longest prefix first.
/// </summary>
/// <remarks>
/// Named references are resolved through <see cref="WebUtility.HtmlDecode(string)"/>, which knows the
/// HTML 4 set; HTML5-only names (such as <c>&amp;NewLine;</c>) stay literal here, whereas Python decodes them.
/// </remarks>
internal static class HtmlUnescaper
{
    // Windows-1252 meaning of the C1 range, as the HTML parsing spec (and Python) substitutes it.
    private static readonly char[] C1Replacements =
    [
        '\u20AC', '\u0081', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021',
        '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008D', '\u017D', '\u008F',
        '\u0090', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014',
        '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\u009D', '\u017E', '\u0178',
    ];

    private static readonly HashSet<string> UpperCaseLegacyNames = new(StringComparer.Ordinal)
    {
        "AMP", "LT", "GT", "QUOT", "COPY", "REG",
    };

    /// <summary>Decodes the character references in <paramref name="text"/>.</summary>
    public static string Unescape(string text)
    {
        int amp = text.IndexOf('&', StringComparison.Ordinal);
        if (amp < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        sb.Append(text, 0, amp);
        int i = amp;
        while (i < text.Length)
        {
            if (text[i] != '&')
            {
                sb.Append(text[i]);
                i++;
                continue;
            }

            i = AppendReference(text, i, sb);
        }

        return sb.ToString();
    }

    // Handles the '&' at text[start]; returns the index after what it consumed.
    private static int AppendReference(string text, int start, StringBuilder sb)
    {
        int p = start + 1;
        if (p < text.Length && text[p] == '#')
        {
            return AppendNumeric(text, start, sb);
        }

        // Python's pattern: [^\t\n\f <&#;]{1,32};?
        int nameStart = p;
        while (p < text.Length && p - nameStart < 32 && !IsNameStop(text[p]))
        {
            p++;
        }

        int nameLength = p - nameStart;
        if (nameLength == 0)
        {
            sb.Append('&');
            return start + 1;
        }

        bool hasSemicolon = p < text.Length && text[p] == ';';
        if (hasSemicolon)
        {
            string candidate = text.Substring(start, nameLength + 2);
            string decoded = WebUtility.HtmlDecode(candidate);
            if (!string.Equals(decoded, candidate, StringComparison.Ordinal))
            {
                sb.Append(decoded);
                return p + 1;
            }
        }

        // Longest legacy name that prefixes the run (Python tries lengths down to 2).
        for (int length = Math.Min(nameLength, 32); length >= 2; length--)
        {
            string name = text.Substring(nameStart, length);
            if (TryLegacy(name, out string? value))
            {
                sb.Append(value);
                return nameStart + length;
            }
        }

        sb.Append('&');
        return start + 1;
    }

    private static int AppendNumeric(string text, int start, StringBuilder sb)
    {
        int p = start + 2;
        bool hex = p < text.Length && (text[p] == 'x' || text[p] == 'X');
        if (hex)
        {
            p++;
        }

        int digitsStart = p;
        long value = 0;
        while (p < text.Length && (hex ? char.IsAsciiHexDigit(text[p]) : char.IsAsciiDigit(text[p])))
        {
            if (value <= 0x10FFFF)
            {
                value = (value * (hex ? 16 : 10)) + HexValue(text[p]);
            }

            p++;
        }

        if (p == digitsStart)
        {
            sb.Append('&');
            return start + 1;
        }

        if (p < text.Length && text[p] == ';')
        {
            p++;
        }

        AppendCodePoint(value, sb);
        return p;
    }

    private static void AppendCodePoint(long value, StringBuilder sb)
    {
        if (value == 0)
        {
            sb.Append('\uFFFD');
        }
        else if (value == 0x0D)
        {
            sb.Append('\r');
        }
        else if (value is >= 0x80 and <= 0x9F)
        {
            sb.Append(C1Replacements[value - 0x80]);
        }
        else if (value is >= 0xD800 and <= 0xDFFF || value > 0x10FFFF)
        {
            sb.Append('\uFFFD');
        }
        else if (IsInvalidCodePoint(value))
        {
            // Python drops these.
        }
        else
        {
            sb.Append(char.ConvertFromUtf32((int)value));
        }
    }

    private static bool IsInvalidCodePoint(long value) =>
        value is (>= 0x01 and <= 0x08) or 0x0B or (>= 0x0E and <= 0x1F) or (>= 0x7F and <= 0x9F) or (>= 0xFDD0 and <= 0xFDEF)
        || (value & 0xFFFE) == 0xFFFE;

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static bool IsNameStop(char c) => c is '\t' or '\n' or '\f' or ' ' or '<' or '&' or '#' or ';';

    private static bool TryLegacy(string name, out string? value)
    {
        value = null;
        string lookup = UpperCaseLegacyNames.Contains(name) ? name.ToLowerInvariant() : name;
        string candidate = "&" + lookup + ";";
        string decoded = WebUtility.HtmlDecode(candidate);
        if (string.Equals(decoded, candidate, StringComparison.Ordinal) || decoded.Length != 1)
        {
            return false;
        }

        char c = decoded[0];
        bool legacy = c is '&' or '<' or '>' or '"' || c is >= '\u00A0' and <= '\u00FF';
        if (legacy)
        {
            value = decoded;
        }

        return legacy;
    }
}
