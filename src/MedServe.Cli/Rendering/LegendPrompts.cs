using System.Globalization;
using MedServe.Models.MedImageParse;
using MedServe.Models.Scoring;

namespace MedServe.Cli.Rendering;

/// <summary>
/// The prompts a legend names the masks by: from <c>--prompts</c>, from the request body's <c>text</c>
/// cell of the row, or <c>mask 1</c>, <c>mask 2</c>, … Prompts are split and checked as the server does.
/// </summary>
internal static class LegendPrompts
{
    public const string TextColumn = "text";

    /// <summary>"mask 1" … "mask N".</summary>
    public static string[] Numbered(int count)
    {
        var prompts = new string[count];
        for (int i = 0; i < count; i++)
        {
            prompts[i] = string.Create(CultureInfo.InvariantCulture, $"mask {i + 1}");
        }

        return prompts;
    }

    /// <summary>Splits a <c>--prompts</c> value; false with a message when a prompt is empty.</summary>
    public static bool TryParseOption(string text, out string[] prompts, out string error)
    {
        if (!MedImageParsePrompts.TryParse(text, 0, TextColumn, int.MaxValue, out prompts, out error))
        {
            // The server's wording names a row and column; the option has neither.
            error = "--prompts: " + error[(error.IndexOf("': ", StringComparison.Ordinal) + 3)..];
            return false;
        }

        return true;
    }

    /// <summary>Reads the prompts of row <paramref name="row"/> from a request body; false with a message when the body has none there.</summary>
    public static bool TryReadRequest(byte[] body, int row, out string[] prompts, out string error)
    {
        prompts = [];
        using var frame = ScoringFrameParser.TryParse(body, out error);
        if (frame is null)
        {
            return false;
        }

        if (!frame.HasColumn(TextColumn))
        {
            error = $"the request has no '{TextColumn}' column";
            return false;
        }

        if (row >= frame.RowCount)
        {
            error = string.Create(CultureInfo.InvariantCulture,
                $"the request has {frame.RowCount} row{(frame.RowCount == 1 ? "" : "s")}, so no row {row}");
            return false;
        }

        return CellReader.TryReadText(frame, row, TextColumn, out string? text, out error)
            && MedImageParsePrompts.TryParse(text, row, TextColumn, int.MaxValue, out prompts, out error);
    }
}
