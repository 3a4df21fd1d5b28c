using System.Globalization;
using MedServe.Imaging.Overlays;

namespace MedServe.Cli.Rendering;

/// <summary>The legend of a MedImageParse overlay: <c>N. prompt — category [p=0.41]</c>, in the mask's palette colour.</summary>
internal static class MedImageParseLegend
{
    public static LegendEntry[] Entries(MedImageParseRow row, IReadOnlyList<string> prompts)
    {
        var entries = new LegendEntry[row.Masks.Count];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = new LegendEntry(i + 1, Text(prompts[i], row.Categories[i], row.PValues?[i], row.PValues is not null), OverlayPalette.ForIndex(i));
        }

        return entries;
    }

    /// <summary>The entry text; the p-value only when the response has <c>p_values</c> (<c>n/a</c> where it is null).</summary>
    public static string Text(string prompt, string category, double? pValue, bool hasPValues)
    {
        string text = $"{prompt} — {category}";
        if (!hasPValues)
        {
            return text;
        }

        return text + (pValue is { } p ? string.Create(CultureInfo.InvariantCulture, $" [p={p:G2}]") : " [p=n/a]");
    }
}
