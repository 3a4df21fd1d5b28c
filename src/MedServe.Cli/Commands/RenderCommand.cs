using System.CommandLine;
using System.Text.Json;
using MedServe.Imaging;
using MedServe.Imaging.Overlays;

namespace MedServe.Cli.Commands;

/// <summary>
/// <c>medserve render --response R.json --image IMG --out overlay.png [--row N] [--boxes crop|original]</c>:
/// draws a scoring response on the image it was computed from. A CXRReportGen response (an array of
/// objects with a string <c>output</c>) gives numbered boxes on the frontal image and a legend of the
/// finding sentences.
/// </summary>
internal static class RenderCommand
{
    public static Command Create(CliContext context)
    {
        var response = new Option<string>("--response") { Description = "The response body saved as JSON (e.g. from medserve invoke).", Required = true };
        var image = new Option<string>("--image") { Description = "The image the response is about (CXRReportGen: the frontal image), PNG or JPEG.", Required = true };
        var output = new Option<string>("--out") { Description = "The PNG to write.", Required = true };
        var row = new Option<int>("--row") { Description = "The response row to draw (default 0).", DefaultValueFactory = _ => 0 };
        var boxes = new Option<string>("--boxes")
        {
            Description = "CXRReportGen: how the boxes were requested: crop (the default) or original (\"box_coordinates\": \"original\").",
            DefaultValueFactory = _ => "crop",
        };
        boxes.AcceptOnlyFromAmong("crop", "original");
        var command = new Command("render", "Draw a scoring response over its image (CXRReportGen: boxes, numbers and a legend).") { response, image, output, row, boxes };
        command.SetAction(async (parse, ct) =>
        {
            JsonElement root;
            PixelBuffer pixels;
            try
            {
                using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(parse.GetValue(response)!, ct).ConfigureAwait(false));
                root = document.RootElement.Clone();
                var bytes = await File.ReadAllBytesAsync(parse.GetValue(image)!, ct).ConfigureAwait(false);
                pixels = ImageDecoder.Decode(bytes, new ImageDecodeOptions()).Pixels;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or ImageDecodeException)
            {
                await context.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            if (!IsCxrReportGenResponse(root))
            {
                await context.Error.WriteLineAsync("error: the response is not one this command draws (a CXRReportGen response is an array of objects with a string 'output')").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            if (!TryReadCxrFindings(root, parse.GetValue(row), parse.GetValue(boxes) == "original", pixels.Width, pixels.Height, out var findings, out string error))
            {
                await context.Error.WriteLineAsync("error: " + error).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            string target = parse.GetValue(output)!;
            await File.WriteAllBytesAsync(target, BoxOverlay.RenderPng(pixels, findings), ct).ConfigureAwait(false);
            int boxCount = findings.Sum(f => f.Boxes.Count);
            await context.Output.WriteLineAsync($"wrote {target}: {findings.Count} findings, {boxCount} boxes").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A CXRReportGen response: a non-empty array whose rows are objects with a string <c>output</c>.</summary>
    internal static bool IsCxrReportGenResponse(JsonElement root) =>
        root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0
        && root.EnumerateArray().All(r => r.ValueKind == JsonValueKind.Object && r.TryGetProperty("output", out var o) && o.ValueKind == JsonValueKind.String);

    /// <summary>
    /// Reads row <paramref name="row"/>'s findings and maps their boxes to image pixels: crop-relative boxes
    /// through the centred square of side min(W, H), original ones by W and H.
    /// </summary>
    internal static bool TryReadCxrFindings(JsonElement root, int row, bool original, int width, int height,
        out List<OverlayFinding> findings, out string error)
    {
        findings = [];
        error = "";
        if (row < 0 || row >= root.GetArrayLength())
        {
            error = $"--row {row} is outside the response's {root.GetArrayLength()} rows";
            return false;
        }

        int side = Math.Min(width, height);
        double offsetX = original ? 0 : (width - side) / 2;
        double offsetY = original ? 0 : (height - side) / 2;
        double scaleX = original ? width : side;
        double scaleY = original ? height : side;
        try
        {
            using var output = JsonDocument.Parse(root[row].GetProperty("output").GetString()!);
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
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or IndexOutOfRangeException or KeyNotFoundException)
        {
            error = $"row {row}: 'output' is not a list of [sentence, null | boxes] ({ex.Message})";
            return false;
        }

        return true;
    }
}
