namespace MedServe.Models.MedImageParse;

/// <summary>
/// The prompts of a MedImageParse text cell: one or more, separated by <c>&amp;</c> and trimmed
/// (<c>"left lung &amp; right lung &amp; COVID-19 infection"</c>).
/// </summary>
public static class MedImageParsePrompts
{
    /// <summary>The default most prompts per row. <value>The default is 16.</value></summary>
    public const int DefaultMaxPrompts = 16;

    /// <summary>
    /// Splits a cell into prompts; refuses an empty prompt (including an empty cell) and more than
    /// <paramref name="maxPrompts"/> prompts, with a message naming the row and column.
    /// </summary>
    public static bool TryParse(string? text, int row, string column, int maxPrompts, out string[] prompts, out string error)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPrompts, 1);
        prompts = [];
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"row {row}, column '{column}': a prompt is required (e.g. \"left lung & COVID-19 infection\")";
            return false;
        }

        string[] parts = text.Split('&');
        if (parts.Length > maxPrompts)
        {
            error = $"row {row}, column '{column}': {parts.Length} prompts; the limit is {maxPrompts} per row";
            return false;
        }

        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = parts[i].Trim();
            if (parts[i].Length == 0)
            {
                error = $"row {row}, column '{column}': prompt {i + 1} of {parts.Length} is empty (prompts are separated by '&')";
                return false;
            }
        }

        prompts = parts;
        return true;
    }
}
