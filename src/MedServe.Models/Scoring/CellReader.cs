using System.Buffers;
using System.Text.Json;

namespace MedServe.Models.Scoring;

/// <summary>Reads request cells: null or "" means the modality was not sent; anything else must be a string.</summary>
public static class CellReader
{
    /// <summary>
    /// Reads a text cell. Returns false with a message naming the row and column when the cell holds
    /// something other than a string or null.
    /// </summary>
    public static bool TryReadText(ScoringFrame frame, int row, string column, out string? text, out string error)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return TryReadString(frame, row, column, "a string or null", out text, out error);
    }

    /// <summary>
    /// Reads a base64 image cell (standard alphabet, line breaks allowed) into bytes. Returns false with
    /// a message naming the row and column for a wrong type or invalid base64.
    /// </summary>
    public static bool TryReadBase64(ScoringFrame frame, int row, string column, out byte[]? bytes, out string error)
    {
        ArgumentNullException.ThrowIfNull(frame);
        bytes = null;
        if (!TryReadString(frame, row, column, "a base64 string or null", out string? text, out error))
        {
            return false;
        }

        if (text is null)
        {
            return true;
        }

        char[] rented = ArrayPool<char>.Shared.Rent(text.Length);
        try
        {
            // The MIME variant breaks lines every 76 characters; Convert skips white space itself,
            // but a decoded-size buffer must not count it.
            var span = StripWhitespace(text, rented);
            int padding = span.EndsWith("==") ? 2 : span.EndsWith("=") ? 1 : 0;
            byte[] buffer = new byte[Math.Max(0, (span.Length / 4 * 3) - padding)];
            if (span.Length == 0 || span.Length % 4 != 0 || !Convert.TryFromBase64Chars(span, buffer, out int written) || written != buffer.Length)
            {
                error = $"row {row}, column '{column}': not valid base64";
                return false;
            }

            bytes = buffer;
            return true;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>A string cell; null, a missing column and "" all read as null (the modality was not sent).</summary>
    private static bool TryReadString(ScoringFrame frame, int row, string column, string expected, out string? value, out string error)
    {
        value = null;
        error = "";
        var cell = frame.Cell(row, column);
        switch (cell.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return true;
            case JsonValueKind.String:
                string text = cell.GetString()!;
                value = text.Length == 0 ? null : text;
                return true;
            default:
                error = $"row {row}, column '{column}': expected {expected}, got {ScoringFrameParser.Describe(cell.ValueKind)}";
                return false;
        }
    }

    private static ReadOnlySpan<char> StripWhitespace(string text, char[] destination)
    {
        int n = 0;
        foreach (char c in text)
        {
            if (c is not (' ' or '\r' or '\n' or '\t'))
            {
                destination[n++] = c;
            }
        }

        return destination.AsSpan(0, n);
    }
}
