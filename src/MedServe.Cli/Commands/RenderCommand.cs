using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MedServe.Cli.Rendering;
using MedServe.Dicom.Rendering;
using MedServe.Dicom.Worker;
using MedServe.Imaging;
using MedServe.Imaging.Overlays;
using MedServe.Models.Inputs;

namespace MedServe.Cli.Commands;

/// <summary>
/// <c>medserve render --response R.json --image IMG --out overlay.png</c>: draws a scoring response over
/// the image it was computed from.
/// <code>
/// response ─► JSON ─► detect the family ─► MedImageParse: decode the row's masks ─► prompts for the legend
///                                      └► CXRReportGen: the row's findings, boxes mapped to the frontal image
/// image    ─► PNG / JPEG / DICOM decode ─► RGB (MedImageParse: resized to the mask geometry when it differs)
///          ─► tint + outline each mask, or outline + number each box ─► legend below (font, or swatches and numbers) ─► PNG
/// </code>
/// </summary>
internal static class RenderCommand
{
    /// <summary>The environment variable naming the legend font when <c>--font</c> is not given.</summary>
    public const string FontVariable = "MEDSERVE_FONT";

    /// <summary>The <c>--font</c> value that draws the legend without text: swatches and numbers only.</summary>
    public const string NoFont = "none";

    public static Command Create(CliContext context)
    {
        var response = new Option<string>("--response") { Description = "The scoring response (the JSON array the endpoint answered).", Required = true };
        var image = new Option<string>("--image") { Description = "The image the request sent: PNG, JPEG or DICOM.", Required = true };
        var output = new Option<string>("--out") { Description = "The PNG file to write.", Required = true };
        var row = new Option<int>("--row") { Description = "The response row to draw (default 0).", DefaultValueFactory = _ => 0 };
        var prompts = new Option<string?>("--prompts") { Description = "The row's prompts, separated by '&', for the legend." };
        var request = new Option<string?>("--request") { Description = "The request body; the legend takes the prompts from the row's 'text' cell." };
        var font = new Option<string?>("--font") { Description = $"A .ttf/.otf file for the legend text (default ${FontVariable}, else DejaVu Sans); '{NoFont}' for numbers only." };
        var normalization = new Option<string?>("--normalization") { Description = "DICOM only: window, percentile (default: 0.5-99.5 % of non-zero pixels), percentile:LOW:HIGH, percentile_nonzero:LOW:HIGH, ct:SITE, minmax." };
        var frame = new Option<int>("--dicom-frame") { Description = "DICOM only: the frame of a multi-frame file (default 0).", DefaultValueFactory = _ => 0 };
        var boxes = new Option<string>("--boxes")
        {
            Description = "CXRReportGen: how the boxes were requested: crop (the hosted default) or original (\"box_coordinates\": \"original\").",
            DefaultValueFactory = _ => "crop",
        };
        boxes.AcceptOnlyFromAmong("crop", "original");
        var command = new Command("render", "Draw a scoring response over its image as PNG: MedImageParse masks with a legend of prompts and categories, CXRReportGen boxes with numbers and a legend of findings.")
        {
            response, image, output, row, prompts, request, font, normalization, frame, boxes,
        };
        command.SetAction((parse, ct) =>
        {
            var options = new RenderOptions(
                parse.GetValue(response)!, parse.GetValue(image)!, parse.GetValue(output)!, parse.GetValue(row),
                parse.GetValue(prompts), parse.GetValue(request), parse.GetValue(font) ?? NonEmpty(Environment.GetEnvironmentVariable(FontVariable)),
                parse.GetValue(font) is null, parse.GetValue(normalization), parse.GetValue(frame), parse.GetValue(boxes) == "original");
            return RunAsync(context, options, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, RenderOptions options, CancellationToken ct)
    {
        var error = context.Error;
        if (options.Row < 0 || options.DicomFrame < 0)
        {
            await error.WriteLineAsync("error: --row and --dicom-frame must be at least 0").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (options.Prompts is not null && options.Request is not null)
        {
            await error.WriteLineAsync("error: give at most one of --prompts and --request").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        DicomNormalization preset = DicomNormalization.MedImageParseDefault;
        if (options.Normalization is { } text)
        {
            if (!DicomNormalization.TryParse(text, out var parsed, out string parseError))
            {
                await error.WriteLineAsync($"error: {parseError}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            preset = parsed.WithModelDefault(DicomNormalization.MedImageParseDefault);
        }

        var responseBytes = await TryReadAsync(context, options.Response, ct).ConfigureAwait(false);
        if (responseBytes is null)
        {
            return ExitCodes.Usage;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(responseBytes);
        }
        catch (JsonException ex)
        {
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"error: the response is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1})")).ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        using (document)
        {
            if (!ResponseKindDetector.TryDetect(document.RootElement, out var kind, out string detectError))
            {
                await error.WriteLineAsync($"error: {detectError}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            return kind switch
            {
                ResponseKind.MedImageParse => await RenderMedImageParseAsync(context, options, document.RootElement, preset, ct).ConfigureAwait(false),
                ResponseKind.CxrReportGen => await RenderCxrReportGenAsync(context, options, document.RootElement, preset, ct).ConfigureAwait(false),
                _ => throw new InvalidOperationException($"No renderer for {kind}."),
            };
        }
    }

    private static async Task<int> RenderMedImageParseAsync(CliContext context, RenderOptions options, JsonElement response, DicomNormalization preset, CancellationToken ct)
    {
        var error = context.Error;
        if (!MedImageParseResponseReader.TryRead(response, options.Row, out var row, out string readError))
        {
            await error.WriteLineAsync($"error: {readError}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        var masks = row!.Masks;
        var (prompts, promptExit) = await LegendPromptsAsync(context, options, masks.Count, ct).ConfigureAwait(false);
        if (prompts is null)
        {
            return promptExit;
        }

        var (rgb, imageExit) = await DecodeImageAsync(context, options, preset, masks.Width, masks.Height, ct).ConfigureAwait(false);
        if (rgb is null)
        {
            return imageExit;
        }

        var (font, fontExit) = await ResolveFontAsync(context, options).ConfigureAwait(false);
        if (fontExit != ExitCodes.Success)
        {
            return fontExit;
        }

        var entries = MedImageParseLegend.Entries(row, prompts);
        byte[] png;
        using (font)
        {
            var drawn = MaskOverlay.Draw(rgb, masks);
            png = PngEncoder.Encode(OverlayLegend.Compose(drawn, entries, font));
        }

        if (!await TryWriteAsync(context, options.Output, png, ct).ConfigureAwait(false))
        {
            return ExitCodes.Failure;
        }

        await context.Output.WriteLineAsync(Summary(masks)).ConfigureAwait(false);
        await WriteLegendAsync(context, entries).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static async Task<int> RenderCxrReportGenAsync(CliContext context, RenderOptions options, JsonElement response, DicomNormalization preset, CancellationToken ct)
    {
        var (rgb, imageExit) = await DecodeImageAsync(context, options, preset, null, null, ct).ConfigureAwait(false);
        if (rgb is null)
        {
            return imageExit;
        }

        if (!CxrReportGenResponseReader.TryRead(response, options.Row, options.OriginalBoxes, rgb.Width, rgb.Height, out var findings, out string readError))
        {
            await context.Error.WriteLineAsync($"error: {readError}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        var (font, fontExit) = await ResolveFontAsync(context, options).ConfigureAwait(false);
        if (fontExit != ExitCodes.Success)
        {
            return fontExit;
        }

        var entries = BoxOverlay.Legend(findings);
        byte[] png;
        using (font)
        {
            png = PngEncoder.Encode(OverlayLegend.Compose(BoxOverlay.Draw(rgb, findings, font), entries, font));
        }

        if (!await TryWriteAsync(context, options.Output, png, ct).ConfigureAwait(false))
        {
            return ExitCodes.Failure;
        }

        int boxCount = findings.Sum(f => f.Boxes.Count);
        await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{findings.Count} finding{Plural(findings.Count)}, {boxCount} box{(boxCount == 1 ? "" : "es")} drawn on {rgb.Width}×{rgb.Height}")).ConfigureAwait(false);
        await WriteLegendAsync(context, entries).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static async Task<bool> TryWriteAsync(CliContext context, string path, byte[] png, CancellationToken ct)
    {
        try
        {
            await File.WriteAllBytesAsync(path, png, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"error: cannot write '{path}': {ex.Message}").ConfigureAwait(false);
            return false;
        }

        await context.Output.WriteLineAsync($"wrote {path}").ConfigureAwait(false);
        return true;
    }

    /// <summary>The legend as text too: it is the key to the numbers when the image has no font.</summary>
    private static async Task WriteLegendAsync(CliContext context, IReadOnlyList<LegendEntry> entries)
    {
        foreach (var entry in entries)
        {
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {entry.Number}. {entry.Text} ({entry.Color})")).ConfigureAwait(false);
        }
    }

    /// <summary>The legend's prompts, or null with the exit code after printing why.</summary>
    private static async Task<(IReadOnlyList<string>? Prompts, int Exit)> LegendPromptsAsync(CliContext context, RenderOptions options, int masks, CancellationToken ct)
    {
        var error = context.Error;
        if (options.Prompts is { } text)
        {
            if (!LegendPrompts.TryParseOption(text, out string[] given, out string parseError))
            {
                await error.WriteLineAsync($"error: {parseError}").ConfigureAwait(false);
                return (null, ExitCodes.Usage);
            }

            if (given.Length != masks)
            {
                await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"error: --prompts has {given.Length} prompt{Plural(given.Length)}, but row {options.Row} has {masks} mask{Plural(masks)}")).ConfigureAwait(false);
                return (null, ExitCodes.Usage);
            }

            return (given, ExitCodes.Success);
        }

        if (options.Request is not { } path)
        {
            return (LegendPrompts.Numbered(masks), ExitCodes.Success);
        }

        var body = await TryReadAsync(context, path, ct).ConfigureAwait(false);
        if (body is null)
        {
            return (null, ExitCodes.Usage);
        }

        if (!LegendPrompts.TryReadRequest(body, options.Row, out string[] sent, out string requestError))
        {
            await error.WriteLineAsync($"error: the request file: {requestError}").ConfigureAwait(false);
            return (null, ExitCodes.Failure);
        }

        if (sent.Length != masks)
        {
            // Recognition answers with the targets it found, not one mask per prompt: label by number.
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"note: row {options.Row} of the request has {sent.Length} prompt{Plural(sent.Length)} but the response has {masks} mask{Plural(masks)}; the legend numbers the masks instead")).ConfigureAwait(false);
            return (LegendPrompts.Numbered(masks), ExitCodes.Success);
        }

        return (sent, ExitCodes.Success);
    }

    /// <summary>The image as RGB in the mask geometry, or null with the exit code after printing why.</summary>
    private static async Task<(PixelBuffer? Image, int Exit)> DecodeImageAsync(CliContext context, RenderOptions options, DicomNormalization preset, int? width, int? height, CancellationToken ct)
    {
        var bytes = await TryReadAsync(context, options.Image, ct).ConfigureAwait(false);
        if (bytes is null)
        {
            return (null, ExitCodes.Usage);
        }

        using var dicom = new DicomDecoder(new DicomDecoderOptions { PoolSize = 1 });
        var inputs = new ImageInputDecoder(ImageDecodeOptions.Default, dicom);
        var (decoded, decodeError) = await inputs.DecodeAsync(bytes, new ImageInputOptions(preset, options.DicomFrame), ct).ConfigureAwait(false);
        if (decoded is null)
        {
            await context.Error.WriteLineAsync($"error: cannot decode the image: {decodeError}").ConfigureAwait(false);
            return (null, ExitCodes.Failure);
        }

        // As the model input is prepared: RGB first, then Pillow's bicubic.
        var rgb = ImageConverter.ToRgb(decoded.Pixels);
        if (width is { } w && height is { } h && (rgb.Width != w || rgb.Height != h))
        {
            await context.Error.WriteLineAsync(
                $"note: the image is {rgb.Width}×{rgb.Height} but the masks are {w}×{h}; drawing on the image resized to {w}×{h} (bicubic)").ConfigureAwait(false);
            rgb = PillowResampler.Resize(rgb, w, h, ResampleFilter.Bicubic);
        }

        return (rgb, ExitCodes.Success);
    }

    /// <summary>The legend font (null for numbers only), or a failure exit code after printing why.</summary>
    private static async Task<(OverlayFont? Font, int Exit)> ResolveFontAsync(CliContext context, RenderOptions options)
    {
        if (options.Font is { } path)
        {
            if (path == NoFont)
            {
                return (null, ExitCodes.Success);
            }

            if (OverlayFont.TryLoad(path) is { } chosen)
            {
                return (chosen, ExitCodes.Success);
            }

            string source = options.FontFromEnvironment ? $"${FontVariable}" : "--font";
            await context.Error.WriteLineAsync($"error: cannot load the font '{path}' ({source}): it is missing or not a TrueType/OpenType file").ConfigureAwait(false);
            return (null, ExitCodes.Failure);
        }

        if (OverlayFont.FindInstalled() is { } installed)
        {
            return (installed, ExitCodes.Success);
        }

        await context.Error.WriteLineAsync(
            $"note: no font file found ({string.Join(", ", OverlayFont.KnownPaths)}); the legend shows colours and numbers only. Install fonts-dejavu-core, pass --font FILE or set ${FontVariable}").ConfigureAwait(false);
        return (null, ExitCodes.Success);
    }

    private static async Task<byte[]?> TryReadAsync(CliContext context, string path, CancellationToken ct)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"error: cannot read '{path}': {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }

    private static string Summary(MaskStack masks)
    {
        var summary = new StringBuilder();
        summary.Append(CultureInfo.InvariantCulture, $"{masks.Count} mask{Plural(masks.Count)} drawn on {masks.Width}×{masks.Height} (value ≥ {MaskStack.Threshold}):");
        for (int i = 0; i < masks.Count; i++)
        {
            summary.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ",")} {i + 1}: {masks.InsideCount(i)} px");
        }

        return summary.ToString();
    }

    private static string Plural(int count) => count == 1 ? "" : "s";

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private sealed record RenderOptions(
        string Response, string Image, string Output, int Row, string? Prompts, string? Request,
        string? Font, bool FontFromEnvironment, string? Normalization, int DicomFrame, bool OriginalBoxes);
}
