using System.Globalization;
using System.Text.Json;
using MedServe.Dicom.Rendering;

namespace MedServe.Models.Scoring;

/// <summary>Reads typed params leniently the way the hosted service does (booleans as <c>"true"</c> too).</summary>
public static class ParamReader
{
    /// <summary>A boolean param: <c>true</c>/<c>false</c> or a string <see cref="bool.TryParse(string?, out bool)"/> accepts (any letter case, e.g. <c>"True"</c>).</summary>
    public static bool TryGetBoolean(JsonElement? parameters, string name, bool defaultValue, out bool value, out string error)
    {
        value = defaultValue;
        error = "";
        if (!TryGet(parameters, name, out var element))
        {
            return true;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.True:
                value = true;
                return true;
            case JsonValueKind.False:
                value = false;
                return true;
            case JsonValueKind.String when bool.TryParse(element.GetString(), out bool parsed):
                value = parsed;
                return true;
            default:
                error = $"param '{name}' must be true or false";
                return false;
        }
    }

    /// <summary>An integer param within [min, max]; integral numbers and numeric strings are accepted.</summary>
    public static bool TryGetInt32(JsonElement? parameters, string name, int defaultValue, int min, int max, out int value, out string error)
    {
        value = defaultValue;
        error = "";
        if (!TryGet(parameters, name, out var element))
        {
            return true;
        }

        bool ok = element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetInt32(out value),
            JsonValueKind.String => int.TryParse(element.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value),
            _ => false,
        };
        if (!ok || value < min || value > max)
        {
            value = defaultValue;
            error = string.Create(CultureInfo.InvariantCulture, $"param '{name}' must be an integer from {min} to {max}");
            return false;
        }

        return true;
    }

    /// <summary>A number param within [min, max]; numbers and numeric strings are accepted.</summary>
    public static bool TryGetDouble(JsonElement? parameters, string name, double defaultValue, double min, double max, out double value, out string error)
    {
        value = defaultValue;
        error = "";
        if (!TryGet(parameters, name, out var element))
        {
            return true;
        }

        bool ok = element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetDouble(out value),
            JsonValueKind.String => double.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value),
            _ => false,
        };
        if (!ok || !double.IsFinite(value) || value < min || value > max)
        {
            value = defaultValue;
            error = string.Create(CultureInfo.InvariantCulture, $"param '{name}' must be a number from {min} to {max}");
            return false;
        }

        return true;
    }

    /// <summary>An optional string param: absent or null gives null; a non-string or empty string is refused.</summary>
    public static bool TryGetString(JsonElement? parameters, string name, out string? value, out string error)
    {
        value = null;
        error = "";
        if (!TryGet(parameters, name, out var element))
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.String || element.GetString() is not { Length: > 0 } text)
        {
            error = $"param '{name}' must be a non-empty string";
            return false;
        }

        value = text;
        return true;
    }

    /// <summary>
    /// The DICOM <c>normalization</c> param (a string such as <c>window</c>, <c>percentile:1:99</c>,
    /// <c>ct:lung</c>); absent or <c>percentile</c> gives the model's default percentile bounds.
    /// </summary>
    public static bool TryGetNormalization(JsonElement? parameters, string name, PercentileNormalization modelDefault,
        out DicomNormalization value, out string error)
    {
        value = modelDefault;
        error = "";
        if (!TryGet(parameters, name, out var element))
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            error = $"param '{name}' must be a string such as \"window\", \"percentile\", \"ct:lung\" or \"minmax\"";
            return false;
        }

        if (!DicomNormalization.TryParse(element.GetString(), out var parsed, out string parseError))
        {
            error = $"param '{name}': {parseError}";
            return false;
        }

        value = parsed.WithModelDefault(modelDefault);
        return true;
    }

    private static bool TryGet(JsonElement? parameters, string name, out JsonElement element)
    {
        element = default;
        return parameters is { } p && p.TryGetProperty(name, out element) && element.ValueKind != JsonValueKind.Null;
    }
}
