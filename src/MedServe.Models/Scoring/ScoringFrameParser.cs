using System.Globalization;
using System.Text.Json;

namespace MedServe.Models.Scoring;

/// <summary>
/// Parses the hosted endpoints' envelope — lenient where the hosted service is (params of any type,
/// missing index, columns in any order), strict about structure and types. Error messages name the
/// row and column but never echo request content.
/// </summary>
public static class ScoringFrameParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <summary>Parses a request body; on failure returns null and a client-safe message.</summary>
    public static ScoringFrame? TryParse(ReadOnlyMemory<byte> body, out string error)
    {
        error = "";
        if (body.IsEmpty || IsWhitespace(body.Span))
        {
            error = "the request body is empty; send a JSON object with an 'input_data' key";
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            error = string.Create(CultureInfo.InvariantCulture,
                $"the request body is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1})");
            return null;
        }

        var frame = TryBuild(document, out error);
        if (frame is null)
        {
            document.Dispose();
        }

        return frame;
    }

    private static ScoringFrame? TryBuild(JsonDocument document, out string error)
    {
        error = "";
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = $"the request body must be a JSON object with an 'input_data' key, not {Describe(root.ValueKind)}";
            return null;
        }

        if (!root.TryGetProperty("input_data", out var input) || input.ValueKind == JsonValueKind.Null)
        {
            error = "the request body lacks 'input_data' (expected {\"input_data\": {\"columns\": [...], \"index\": [...], \"data\": [[...]]}})";
            return null;
        }

        if (input.ValueKind != JsonValueKind.Object)
        {
            error = $"'input_data' must be an object with 'columns' and 'data', not {Describe(input.ValueKind)}";
            return null;
        }

        if (!input.TryGetProperty("columns", out var columnsElement) || columnsElement.ValueKind != JsonValueKind.Array)
        {
            error = "'input_data.columns' must be a list of column names";
            return null;
        }

        var columns = new List<string>(columnsElement.GetArrayLength());
        foreach (var column in columnsElement.EnumerateArray())
        {
            if (column.ValueKind != JsonValueKind.String)
            {
                error = $"'input_data.columns' must hold strings; item {columns.Count} is {Describe(column.ValueKind)}";
                return null;
            }

            string name = column.GetString()!;
            if (columns.Contains(name, StringComparer.Ordinal))
            {
                error = $"column '{Truncate(name)}' appears twice in 'input_data.columns'";
                return null;
            }

            columns.Add(name);
        }

        if (!input.TryGetProperty("data", out var dataElement) || dataElement.ValueKind != JsonValueKind.Array)
        {
            error = "'input_data.data' must be a list of rows, each a list of cells";
            return null;
        }

        var rows = new JsonElement[dataElement.GetArrayLength()][];
        int r = 0;
        foreach (var row in dataElement.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array)
            {
                error = $"'input_data.data' must be a list of lists; row {r} is {Describe(row.ValueKind)}";
                return null;
            }

            int length = row.GetArrayLength();
            if (length != columns.Count)
            {
                error = $"row {r} has {length} cells but there are {columns.Count} columns";
                return null;
            }

            var cells = new JsonElement[length];
            int c = 0;
            foreach (var cell in row.EnumerateArray())
            {
                cells[c++] = cell;
            }

            rows[r++] = cells;
        }

        if (input.TryGetProperty("index", out var index) && index.ValueKind != JsonValueKind.Null)
        {
            if (index.ValueKind != JsonValueKind.Array)
            {
                error = "'input_data.index' must be a list";
                return null;
            }

            if (index.GetArrayLength() != rows.Length)
            {
                error = $"'input_data.index' has {index.GetArrayLength()} entries but 'data' has {rows.Length} rows";
                return null;
            }
        }

        JsonElement? parameters = root.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Object ? p : null;
        return new ScoringFrame(document, columns, rows, parameters);
    }

    /// <summary>Names a JSON value kind for messages ("a number", "a list", …).</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "missing",
    };

    /// <summary>Shortens a caller-supplied name for an error message.</summary>
    public static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";

    private static bool IsWhitespace(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }
}
