using System.Globalization;
using System.Text.Json;
using MedServe.Imaging.Overlays;
using MedServe.Models.Scoring;

namespace MedServe.Cli.Rendering;

/// <summary>
/// Decodes one row of a MedImageParse response exactly as client code does, and refuses anything else
/// with a message naming the row and key:
/// <code>
/// row ─► image_features (a string) ─► JSON {"data", "shape": [N, H, W], "dtype": "uint8"}
///                                  ─► base64 ─► N·H·W bytes, C order ─► MaskStack
///     ─► text_features: N strings;  p_values (optional): N numbers or nulls
/// </code>
/// </summary>
internal static class MedImageParseResponseReader
{
    public static bool TryRead(JsonElement response, int row, out MedImageParseRow? result, out string error)
    {
        result = null;
        int rows = response.GetArrayLength();
        if (row >= rows)
        {
            error = string.Create(CultureInfo.InvariantCulture,
                $"--row {row} is out of range: the response has {(rows == 1 ? "1 row (row 0)" : $"{rows} rows (0-{rows - 1})")}");
            return false;
        }

        var element = response[row];
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"row {row} is {ScoringFrameParser.Describe(element.ValueKind)}, not an object";
            return false;
        }

        if (!TryReadMasks(element, row, out var masks, out error)
            || !TryReadCategories(element, row, masks!.Count, out var categories, out error)
            || !TryReadPValues(element, row, masks.Count, out var pValues, out error))
        {
            return false;
        }

        result = new MedImageParseRow(masks, categories!, pValues);
        return true;
    }

    private static bool TryReadMasks(JsonElement row, int index, out MaskStack? masks, out string error)
    {
        masks = null;
        if (!TryGet(row, index, "image_features", JsonValueKind.String, "a string holding JSON", out var text, out error))
        {
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text.GetString()!);
        }
        catch (JsonException ex)
        {
            error = string.Create(CultureInfo.InvariantCulture,
                $"row {index}: 'image_features' does not hold valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1})");
            return false;
        }

        using (document)
        {
            var features = document.RootElement;
            if (features.ValueKind != JsonValueKind.Object)
            {
                error = $"row {index}: 'image_features' holds {ScoringFrameParser.Describe(features.ValueKind)}, not an object with 'data', 'shape' and 'dtype'";
                return false;
            }

            string where = $"row {index}, image_features";
            if (!TryGet(features, where, "dtype", JsonValueKind.String, "a string", out var dtype, out error))
            {
                return false;
            }

            if (dtype.GetString() != "uint8")
            {
                error = $"{where}: 'dtype' is '{ScoringFrameParser.Truncate(dtype.GetString()!)}'; only 'uint8' masks (probability × 255) can be drawn";
                return false;
            }

            if (!TryGet(features, where, "shape", JsonValueKind.Array, "a list", out var shapeElement, out error)
                || !TryReadShape(shapeElement, where, out int[] shape, out error)
                || !TryGet(features, where, "data", JsonValueKind.String, "a base64 string", out var data, out error))
            {
                return false;
            }

            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(data.GetString()!);
            }
            catch (FormatException)
            {
                error = $"{where}: 'data' is not valid base64";
                return false;
            }

            long expected = (long)shape[0] * shape[1] * shape[2];
            if (bytes.Length != expected)
            {
                error = string.Create(CultureInfo.InvariantCulture,
                    $"{where}: 'data' holds {bytes.Length} bytes, but shape [{shape[0]}, {shape[1]}, {shape[2]}] needs {expected}");
                return false;
            }

            masks = new MaskStack(shape[0], shape[1], shape[2], bytes);
            return true;
        }
    }

    private static bool TryReadShape(JsonElement shape, string where, out int[] values, out string error)
    {
        values = [];
        error = $"{where}: 'shape' must be 3 positive integers [N, H, W]";
        if (shape.GetArrayLength() != 3)
        {
            return false;
        }

        var result = new int[3];
        for (int i = 0; i < 3; i++)
        {
            if (shape[i].ValueKind != JsonValueKind.Number || !shape[i].TryGetInt32(out result[i]) || result[i] < 1)
            {
                return false;
            }
        }

        values = result;
        error = "";
        return true;
    }

    private static bool TryReadCategories(JsonElement row, int index, int masks, out string[]? categories, out string error)
    {
        categories = null;
        if (!TryGet(row, index, "text_features", JsonValueKind.Array, "a list of category names", out var list, out error))
        {
            return false;
        }

        if (list.GetArrayLength() != masks)
        {
            error = string.Create(CultureInfo.InvariantCulture,
                $"row {index}: 'text_features' has {list.GetArrayLength()} name{(list.GetArrayLength() == 1 ? "" : "s")}, but 'image_features' has {masks} mask{(masks == 1 ? "" : "s")}");
            return false;
        }

        var names = new string[masks];
        for (int i = 0; i < masks; i++)
        {
            if (list[i].ValueKind != JsonValueKind.String)
            {
                error = $"row {index}: 'text_features' item {i} is {ScoringFrameParser.Describe(list[i].ValueKind)}, not a string";
                return false;
            }

            names[i] = list[i].GetString()!;
        }

        categories = names;
        return true;
    }

    private static bool TryReadPValues(JsonElement row, int index, int masks, out double?[]? pValues, out string error)
    {
        pValues = null;
        error = "";
        if (!row.TryGetProperty("p_values", out var list))
        {
            return true;
        }

        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() != masks)
        {
            error = string.Create(CultureInfo.InvariantCulture,
                $"row {index}: 'p_values' must be a list of one number or null per mask ({masks})");
            return false;
        }

        var values = new double?[masks];
        for (int i = 0; i < masks; i++)
        {
            switch (list[i].ValueKind)
            {
                case JsonValueKind.Number:
                    values[i] = list[i].GetDouble();
                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    error = $"row {index}: 'p_values' item {i} is {ScoringFrameParser.Describe(list[i].ValueKind)}, not a number or null";
                    return false;
            }
        }

        pValues = values;
        return true;
    }

    private static bool TryGet(JsonElement owner, int row, string key, JsonValueKind kind, string expected, out JsonElement value, out string error) =>
        TryGet(owner, $"row {row}", key, kind, expected, out value, out error);

    private static bool TryGet(JsonElement owner, string where, string key, JsonValueKind kind, string expected, out JsonElement value, out string error)
    {
        error = "";
        if (!owner.TryGetProperty(key, out value))
        {
            error = $"{where}: '{key}' is missing";
            return false;
        }

        if (value.ValueKind != kind)
        {
            error = $"{where}: '{key}' is {ScoringFrameParser.Describe(value.ValueKind)}, not {expected}";
            return false;
        }

        return true;
    }
}
