using System.CommandLine;
using MedServe.Imaging;
using MedServe.Inference.Numpy;
using MedServe.Inference.Packages;
using MedServe.Models;
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
        var image = new Option<string>("--image") { Description = "A PNG or JPEG file.", Required = true };
        var output = new Option<string>("--out") { Description = "The .npy file to write.", Required = true };
        var size = new Option<int>("--image-standardization-image-size") { Description = "Standardisation size (default 512, as the hosted param).", DefaultValueFactory = _ => 512 };
        var quality = new Option<int>("--image-standardization-jpeg-compression-ratio") { Description = "Standardisation JPEG quality (default 75).", DefaultValueFactory = _ => 75 };
        var command = new Command("preprocess", "Write the image encoder's exact input tensor for an image, as .npy.") { model, image, output, size, quality };
        command.SetAction(async (parse, ct) =>
        {
            int standardSize = parse.GetValue(size);
            int jpegQuality = parse.GetValue(quality);
            if (standardSize is < 16 or > 4096 || jpegQuality is < 1 or > 100)
            {
                await context.Error.WriteLineAsync("error: the standardisation size must be 16-4096 and the JPEG quality 1-100").ConfigureAwait(false);
                return ExitCodes.Usage;
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

                var decoded = ImageDecoder.Decode(bytes, ImageDecodeOptions.Default);
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
            catch (ImageDecodeException ex)
            {
                await context.Error.WriteLineAsync($"error: cannot decode the image: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
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
