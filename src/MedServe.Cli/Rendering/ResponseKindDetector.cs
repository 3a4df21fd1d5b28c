using System.Text.Json;
using MedServe.Models.Scoring;

namespace MedServe.Cli.Rendering;

/// <summary>
/// Tells which model family answered, from the shape of the response alone (responses carry no model
/// name). Only the shape is looked at here; the family's reader then validates the chosen row strictly.
/// </summary>
internal static class ResponseKindDetector
{
    public const string UnknownMessage = "not a MedImageParse or CXRReportGen response";

    /// <summary>Returns the family, or false with a message when the response is no scoring response <c>render</c> knows.</summary>
    public static bool TryDetect(JsonElement root, out ResponseKind kind, out string error)
    {
        kind = ResponseKind.Unknown;
        error = "";
        if (root.ValueKind != JsonValueKind.Array)
        {
            error = $"{UnknownMessage}: a scoring response is a JSON array with one object per input row, not {ScoringFrameParser.Describe(root.ValueKind)}";
            return false;
        }

        if (root.GetArrayLength() == 0)
        {
            error = "the response is an empty array: it has no rows to draw";
            return false;
        }

        foreach (var row in root.EnumerateArray())
        {
            if (IsMedImageParseRow(row))
            {
                kind = ResponseKind.MedImageParse;
                return true;
            }

            if (row.ValueKind == JsonValueKind.Object && row.TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.String)
            {
                kind = ResponseKind.CxrReportGen;
                return true;
            }
        }

        error = $"{UnknownMessage} (a MedImageParse row has a string 'image_features' and a list 'text_features', a CXRReportGen row a string 'output')";
        return false;
    }

    // MedImageInsight rows also have these keys, but as number lists: the string is what tells them apart.
    private static bool IsMedImageParseRow(JsonElement row) =>
        row.ValueKind == JsonValueKind.Object
        && row.TryGetProperty("image_features", out var image) && image.ValueKind == JsonValueKind.String
        && row.TryGetProperty("text_features", out var text) && text.ValueKind == JsonValueKind.Array;
}
