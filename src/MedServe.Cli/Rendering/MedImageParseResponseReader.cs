using System.Globalization;
using System.Text.Json;
using MedServe.Contracts;
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

        if (!MaskArray.TryDecode(text.GetString()!, out byte[] bytes, out var shape, out string decodeError))
        {
            error = $"row {index}, image_features: {decodeError}";
            return false;
        }

        if (shape.Count == 0)
        {
            error = $"row {index}: 'image_features' holds no masks (shape [0, {shape.Height}, {shape.Width}]); there is nothing to draw";
            return false;
        }

        masks = new MaskStack(shape.Count, shape.Height, shape.Width, bytes);
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
