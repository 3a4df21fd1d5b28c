using System.CommandLine;
using MedServe.Dicom.Rendering;
using MedServe.Dicom.Worker;
using MedServe.Imaging;
using MedServe.Inference.Numpy;
using MedServe.Inference.Packages;
using MedServe.Models;
using MedServe.Models.Inputs;
using MedServe.Models.MedImageInsight;

namespace MedServe.Cli.Commands;

/// <summary>
/// <c>medserve preprocess --model DIR --image FILE --out X.npy</c>: writes the exact float32 tensor the
/// image encoder receives, as a NumPy file of shape [1, 3, S, S].
/// </summary>
internal static class PreprocessCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "A MedImageInsight package folder.", Required = true };
        var image = new Option<string>("--image") { Description = "A PNG, JPEG or DICOM file.", Required = true };
        var output = new Option<string>("--out") { Description = "The .npy file to write.", Required = true };
        var size = new Option<int>("--image-standardization-image-size") { Description = "Standardisation size (default 512, as the hosted param).", DefaultValueFactory = _ => 512 };
        var quality = new Option<int>("--image-standardization-jpeg-compression-ratio") { Description = "Standardisation JPEG quality (default 75).", DefaultValueFactory = _ => 75 };
        var normalization = new Option<string?>("--normalization") { Description = "DICOM only: window, percentile (default), percentile:LOW:HIGH, percentile_nonzero:LOW:HIGH, ct:SITE, minmax." };
        var frame = new Option<int>("--dicom-frame") { Description = "DICOM only: the frame of a multi-frame file (default 0).", DefaultValueFactory = _ => 0 };
        var command = new Command("preprocess", "Write the image encoder's exact input tensor for an image (PNG, JPEG or DICOM), as .npy.") { model, image, output, size, quality, normalization, frame };
        command.SetAction(async (parse, ct) =>
        {
            int standardSize = parse.GetValue(size);
            int jpegQuality = parse.GetValue(quality);
            if (standardSize is < 16 or > 4096 || jpegQuality is < 1 or > 100 || parse.GetValue(frame) < 0)
            {
                await context.Error.WriteLineAsync("error: the standardisation size must be 16-4096, the JPEG quality 1-100 and the DICOM frame at least 0").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            DicomNormalization preset = DicomNormalization.MedImageInsightDefault;
            if (parse.GetValue(normalization) is { } text)
            {
                if (!DicomNormalization.TryParse(text, out var parsed, out string parseError))
                {
                    await context.Error.WriteLineAsync($"error: {parseError}").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                preset = parsed.WithModelDefault(DicomNormalization.MedImageInsightDefault);
            }

            try
            {
                byte[] bytes = await File.ReadAllBytesAsync(parse.GetValue(image)!, ct).ConfigureAwait(false);
                using var loaded = ModelLoader.Load(parse.GetValue(model)!);
                if (loaded is not MedImageInsightModel insight)
                {
                    await context.Error.WriteLineAsync($"error: preprocess supports MedImageInsight packages; this one is '{loaded.Descriptor.Task}'").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                using var dicom = new DicomDecoder(new DicomDecoderOptions { PoolSize = 1 });
                var inputs = new ImageInputDecoder(ImageDecodeOptions.Default, dicom);
                var (decoded, decodeError) = await inputs.DecodeAsync(bytes, new ImageInputOptions(preset, parse.GetValue(frame)), ct).ConfigureAwait(false);
                if (decoded is null)
                {
                    await context.Error.WriteLineAsync($"error: cannot decode the image: {decodeError}").ConfigureAwait(false);
                    return ExitCodes.Failure;
                }

                var preprocessor = insight.Preprocessor;
                float[] tensor = new float[preprocessor.TensorLength];
                preprocessor.Process(decoded, standardSize, jpegQuality, tensor);
                string path = parse.GetValue(output)!;
                await using (var stream = File.Create(path))
                {
                    NpyWriter.WriteFloat32(stream, tensor, [1, 3, preprocessor.ImageSize, preprocessor.ImageSize]);
                }

                await context.Output.WriteLineAsync($"wrote {path}: float32 [1, 3, {preprocessor.ImageSize}, {preprocessor.ImageSize}] from a {decoded.Pixels.Width}×{decoded.Pixels.Height} {decoded.SourceFormat} image").ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (ModelPackageException ex)
            {
                await context.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await context.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
        return command;
    }
}
