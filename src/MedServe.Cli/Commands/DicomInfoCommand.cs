using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MedServe.Dicom;
using MedServe.Dicom.Worker;

namespace MedServe.Cli.Commands;

/// <summary>
/// <c>medserve dicom-info FILE [--json]</c>: the header facts that decide how a DICOM file decodes.
/// Only technical attributes are read into <see cref="DicomImage"/>; no patient or study identifier
/// can be printed.
/// </summary>
internal static class DicomInfoCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "A DICOM file." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("dicom-info", "Print the decoding-relevant header facts of a DICOM file (no patient identifiers).") { file, json };
        command.SetAction(async (parse, ct) =>
        {
            string path = parse.GetValue(file)!;
            byte[] bytes;
            try
            {
                bytes = await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await context.Error.WriteLineAsync($"error: cannot read '{path}': {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            if (!DicomSniffer.IsDicom(bytes))
            {
                await context.Error.WriteLineAsync($"error: '{path}' is not a DICOM file").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            using var decoder = new DicomDecoder(new DicomDecoderOptions { PoolSize = 1 });
            var result = await decoder.ReadHeaderAsync(bytes, ct).ConfigureAwait(false);
            if (result.Header is not { } header)
            {
                await context.Error.WriteLineAsync($"error: {result.Error}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            var info = DicomInfoOutput.From(header);
            if (parse.GetValue(json))
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(info, CliOutputJsonContext.Default.DicomInfoOutput)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var o = context.Output;
            await o.WriteLineAsync($"transfer syntax:    {info.TransferSyntaxUid} ({info.TransferSyntaxName})").ConfigureAwait(false);
            await o.WriteLineAsync($"modality:           {info.Modality ?? "-"}").ConfigureAwait(false);
            await o.WriteLineAsync($"sop class:          {info.SopClassUid ?? "-"}").ConfigureAwait(false);
            await o.WriteLineAsync($"size:               {info.Columns} × {info.Rows}, {info.Frames} frame(s), {info.SamplesPerPixel} sample(s) per pixel").ConfigureAwait(false);
            await o.WriteLineAsync($"bits:               allocated {info.BitsAllocated}, stored {info.BitsStored}, {(info.Signed ? "signed" : "unsigned")}").ConfigureAwait(false);
            await o.WriteLineAsync($"photometric:        {info.PhotometricInterpretation}").ConfigureAwait(false);
            await o.WriteLineAsync($"rescale:            slope {Number(info.RescaleSlope)}, intercept {Number(info.RescaleIntercept)}{(info.HasModalityLut ? " (replaced by a Modality LUT)" : "")}").ConfigureAwait(false);
            string windows = info.Windows.Count == 0 ? "-" : string.Join("; ", info.Windows.Select(w => $"centre {Number(w.Center)} width {Number(w.Width)} {w.Function}"));
            await o.WriteLineAsync($"windows:            {windows}").ConfigureAwait(false);
            await o.WriteLineAsync($"VOI LUT:            {(info.HasVoiLut ? "yes" : "no")}").ConfigureAwait(false);
            await o.WriteLineAsync($"palette:            {(info.HasPalette ? "yes" : "no")}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Number(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}

/// <summary>What <c>dicom-info --json</c> prints.</summary>
internal sealed record DicomInfoOutput
{
    [JsonPropertyName("transfer_syntax_uid")]
    public required string TransferSyntaxUid { get; init; }

    [JsonPropertyName("transfer_syntax_name")]
    public required string TransferSyntaxName { get; init; }

    [JsonPropertyName("modality")]
    public string? Modality { get; init; }

    [JsonPropertyName("sop_class_uid")]
    public string? SopClassUid { get; init; }

    [JsonPropertyName("rows")]
    public int Rows { get; init; }

    [JsonPropertyName("columns")]
    public int Columns { get; init; }

    [JsonPropertyName("frames")]
    public int Frames { get; init; }

    [JsonPropertyName("samples_per_pixel")]
    public int SamplesPerPixel { get; init; }

    [JsonPropertyName("bits_allocated")]
    public int BitsAllocated { get; init; }

    [JsonPropertyName("bits_stored")]
    public int BitsStored { get; init; }

    [JsonPropertyName("signed")]
    public bool Signed { get; init; }

    [JsonPropertyName("photometric_interpretation")]
    public required string PhotometricInterpretation { get; init; }

    [JsonPropertyName("rescale_slope")]
    public double RescaleSlope { get; init; }

    [JsonPropertyName("rescale_intercept")]
    public double RescaleIntercept { get; init; }

    [JsonPropertyName("has_modality_lut")]
    public bool HasModalityLut { get; init; }

    [JsonPropertyName("windows")]
    public IReadOnlyList<DicomInfoWindow> Windows { get; init; } = [];

    [JsonPropertyName("has_voi_lut")]
    public bool HasVoiLut { get; init; }

    [JsonPropertyName("has_palette")]
    public bool HasPalette { get; init; }

    public static DicomInfoOutput From(DicomHeader header)
    {
        var i = header.Image;
        return new DicomInfoOutput
        {
            TransferSyntaxUid = i.TransferSyntaxUid,
            TransferSyntaxName = header.TransferSyntaxName,
            Modality = i.Modality,
            SopClassUid = i.SopClassUid,
            Rows = i.Rows,
            Columns = i.Columns,
            Frames = i.NumberOfFrames,
            SamplesPerPixel = i.SamplesPerPixel,
            BitsAllocated = i.BitsAllocated,
            BitsStored = i.BitsStored,
            Signed = i.IsSigned,
            PhotometricInterpretation = i.PhotometricInterpretation,
            RescaleSlope = i.RescaleSlope,
            RescaleIntercept = i.RescaleIntercept,
            HasModalityLut = i.ModalityLut is not null,
            Windows = [.. i.Windows.Select(w => new DicomInfoWindow(w.Center, w.Width, w.Function))],
            HasVoiLut = i.VoiLut is not null,
            HasPalette = i.Palette is not null,
        };
    }
}

/// <summary>One VOI window as <c>dicom-info --json</c> prints it.</summary>
internal sealed record DicomInfoWindow(
    [property: JsonPropertyName("center")] double Center,
    [property: JsonPropertyName("width")] double Width,
    [property: JsonPropertyName("function")] string Function);
