using System.Buffers;
using System.Globalization;
using System.Text;

namespace MedServe.Inference.Tokenization;

/// <summary>
/// CLIP's pre-tokenisation, scanned by hand instead of with a regular expression. The reference pattern
/// (alternatives tried in order at each position, unmatched characters skipped) is:
/// <code>
/// &lt;|startoftext|&gt; | &lt;|endoftext|&gt; | 's|'t|'re|'ve|'m|'ll|'d | \p{L}+ | \p{N} | [^\s\p{L}\p{N}]+
/// </code>
/// Classification is per code point (<see cref="Rune"/>), as in Python; .NET's regex engine works on
/// UTF-16 units and would put letters outside the BMP into the "other" class.
/// </summary>
internal static class ClipPreTokenizer
{
    /// <summary>The start-of-text special token.</summary>
    public const string StartOfText = "<|startoftext|>";

    /// <summary>The end-of-text special token.</summary>
    public const string EndOfText = "<|endoftext|>";

    private enum CharClass
    {
        Space,
        Letter,
        Number,
        Other,
    }

    /// <summary>
    /// Finds the next pre-token at or after <paramref name="position"/> in normalised text.
    /// </summary>
    /// <returns><see langword="false"/> when the text is exhausted.</returns>
    public static bool TryNext(ReadOnlySpan<char> text, ref int position, out int start, out int length)
    {
        int i = position;
        while (i < text.Length)
        {
            CharClass cls = Classify(text, i, out int width);
            if (cls == CharClass.Space)
            {
                i += width;
                continue;
            }

            start = i;
            ReadOnlySpan<char> rest = text[i..];
            if (rest.StartsWith(StartOfText, StringComparison.Ordinal))
            {
                length = StartOfText.Length;
            }
            else if (rest.StartsWith(EndOfText, StringComparison.Ordinal))
            {
                length = EndOfText.Length;
            }
            else if (rest[0] == '\'' && ContractionLength(rest) is > 0 and int contraction)
            {
                length = contraction;
            }
            else if (cls == CharClass.Number)
            {
                length = width;
            }
            else
            {
                // A run of letters, or a run of "other" (neither space, letter nor number).
                int end = i + width;
                while (end < text.Length && Classify(text, end, out int w) == cls)
                {
                    end += w;
                }

                length = end - i;
            }

            position = start + length;
            return true;
        }

        position = text.Length;
        start = text.Length;
        length = 0;
        return false;
    }

    private static int ContractionLength(ReadOnlySpan<char> rest)
    {
        if (rest.Length < 2)
        {
            return 0;
        }

        char a = rest[1];
        if (a is 's' or 't' or 'm' or 'd')
        {
            return 2;
        }

        if (rest.Length >= 3)
        {
            char b = rest[2];
            if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l'))
            {
                return 3;
            }
        }

        return 0;
    }

    private static CharClass Classify(ReadOnlySpan<char> text, int index, out int width)
    {
        char c = text[index];
        if (c < 0x80)
        {
            width = 1;
            return char.IsAsciiLetter(c) ? CharClass.Letter
                : char.IsAsciiDigit(c) ? CharClass.Number
                : ClipTextNormalizer.IsPythonWhitespace(c) ? CharClass.Space
                : CharClass.Other;
        }

        if (Rune.DecodeFromUtf16(text[index..], out Rune rune, out width) != OperationStatus.Done)
        {
            // A lone surrogate: neither letter nor number.
            width = 1;
            return CharClass.Other;
        }

        if (rune.IsBmp && ClipTextNormalizer.IsPythonWhitespace(c))
        {
            return CharClass.Space;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharClass.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharClass.Number,
            _ => CharClass.Other,
        };
    }
}
