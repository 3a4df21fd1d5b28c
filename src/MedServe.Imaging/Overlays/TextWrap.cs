using System.Text;

namespace MedServe.Imaging.Overlays;

/// <summary>Greedy line breaking for legend text: at spaces, and inside a word only when the word alone is too wide.</summary>
internal static class TextWrap
{
    /// <summary>Control characters (line breaks, tabs) become spaces, so one entry never breaks the layout.</summary>
    public static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Splits <paramref name="text"/> into lines no wider than <paramref name="width"/>. A word too wide for
    /// any line starts on the current one and is cut where the width ends; every line holds at least one
    /// character.
    /// </summary>
    /// <param name="text">The text, already <see cref="Clean"/>ed.</param>
    /// <param name="width">The widest line allowed, in the units of <paramref name="measure"/>.</param>
    /// <param name="measure">The drawn width of a string.</param>
    public static List<string> Wrap(string text, float width, Func<string, float> measure)
    {
        var lines = new List<string>();
        string line = "";
        foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string head = line.Length == 0 ? "" : line + " ";
            if (measure(head + word) <= width)
            {
                line = head + word;
                continue;
            }

            string rest = word;
            if (measure(word) > width)
            {
                int fit = Fit(head, word, width, measure);
                if (head.Length == 0)
                {
                    fit = Math.Max(fit, 1);
                }

                line = head + word[..fit];
                rest = word[fit..];
            }

            if (line.Length > 0)
            {
                lines.Add(line.TrimEnd());
            }

            while (rest.Length > 1 && measure(rest) > width)
            {
                int fit = Math.Max(1, Fit("", rest, width, measure));
                lines.Add(rest[..fit]);
                rest = rest[fit..];
            }

            line = rest;
        }

        if (line.Length > 0 || lines.Count == 0)
        {
            lines.Add(line);
        }

        return lines;
    }

    /// <summary>How many leading characters of <paramref name="word"/> fit after <paramref name="head"/> (0 to length − 1).</summary>
    private static int Fit(string head, string word, float width, Func<string, float> measure)
    {
        int fit = 0;
        while (fit < word.Length - 1 && measure(head + word[..(fit + 1)]) <= width)
        {
            fit++;
        }

        return fit;
    }
}
