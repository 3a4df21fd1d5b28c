using System.Globalization;
using System.Text.Json;
using MedServe.Imaging.Overlays;

namespace MedServe.Cli.Rendering;

/// <summary>
/// Reads one row of a CXRReportGen response, <c>{"output": "[[sentence, null | [[x0, y0, x1, y1], …]], …]"}</c>,
/// and maps its boxes to pixels of the frontal image: crop-relative boxes (the hosted default) through the
/// centred square of side min(W, H), boxes requested with <c>"box_coordinates": "original"</c> by W and H.
/// </summary>
internal static class CxrReportGenResponseReader
{
    public static bool TryRead(JsonElement response, int row, bool original, int width, int height, out List<OverlayFinding> findings, out string error)
    {
        findings = [];
        error = "";
        int rows = response.GetArrayLength();
        if (row >= rows)
        {
            error = string.Create(CultureInfo.InvariantCulture,
                $"--row {row} is out of range: the response has {(rows == 1 ? "1 row (row 0)" : $"{rows} rows (0-{rows - 1})")}");
            return false;
        }

        int side = Math.Min(width, height);
        double offsetX = original ? 0 : (width - side) / 2;
        double offsetY = original ? 0 : (height - side) / 2;
        double scaleX = original ? width : side;
        double scaleY = original ? height : side;
        try
        {
            using var output = JsonDocument.Parse(response[row].GetProperty("output").GetString()!);
            int number = 0;
            foreach (var finding in output.RootElement.EnumerateArray())
            {
                string sentence = finding[0].GetString() ?? "";
                var boxes = new List<OverlayBox>();
                if (finding[1].ValueKind == JsonValueKind.Array)
                {
                    foreach (var box in finding[1].EnumerateArray())
                    {
                        boxes.Add(new OverlayBox(offsetX + (box[0].GetDouble() * scaleX), offsetY + (box[1].GetDouble() * scaleY),
                            offsetX + (box[2].GetDouble() * scaleX), offsetY + (box[3].GetDouble() * scaleY)));
                    }
                }

                findings.Add(new OverlayFinding(++number, sentence, boxes));
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or IndexOutOfRangeException or KeyNotFoundException or FormatException)
        {
            error = $"row {row}: 'output' is not a list of [sentence, null | boxes]";
            return false;
        }

        return true;
    }
}
