using MedServe.Imaging;
using MedServe.Inference.Packages;

namespace MedServe.Models.MedImageInsight;

/// <summary>
/// The hosted MedImageInsight image pipeline, step for step:
/// <code>
/// decoded ─► standardise: resize S×S bicubic (palette: nearest, as Pillow) ─► RGB ─► JPEG q ─► decode
///         ─► resize 480×480 antialiased bicubic ─► /255, ImageNet mean/std ─► NCHW float32
/// </code>
/// </summary>
public sealed class MedImageInsightPreprocessor
{
    private readonly float[] _mean;
    private readonly float[] _std;
    private readonly float _scale;
    private readonly ResampleFilter _filter;

    /// <summary>Creates the pre-processor from a package's settings.</summary>
    public MedImageInsightPreprocessor(PreprocessingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ImageSize <= 0 || settings.Mean.Count != 3 || settings.Std.Count != 3)
        {
            throw new ArgumentException("preprocessing needs image_size > 0 and three mean and std values", nameof(settings));
        }

        ImageSize = settings.ImageSize;
        _mean = [.. settings.Mean];
        _std = [.. settings.Std];
        _scale = settings.Scale;
        _filter = ParseFilter(settings.Resample);
    }

    /// <summary>The square side of the image encoder input.</summary>
    public int ImageSize { get; }

    /// <summary>The number of floats one image takes in the input tensor (3 × side × side).</summary>
    public int TensorLength => 3 * ImageSize * ImageSize;

    /// <summary>Runs the whole pipeline on a decoded image, writing one [3, S, S] plane set.</summary>
    public void Process(DecodedImage image, int standardizationSize, int jpegQuality, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        var standardFilter = image.IsPalette ? ResampleFilter.Nearest : ResampleFilter.Bicubic;
        var standardised = PillowResampler.Resize(image.Pixels, standardizationSize, standardizationSize, standardFilter);
        var rgb = ImageConverter.ToRgb(standardised);
        byte[] jpeg = JpegEncoder.Encode(rgb, jpegQuality);
        var roundTripped = ImageConverter.ToRgb(ImageDecoder.Decode(jpeg, ImageDecodeOptions.Default).Pixels);
        var resized = PillowResampler.Resize(roundTripped, ImageSize, ImageSize, _filter);
        TensorWriter.WriteNchw(resized, _mean, _std, _scale, destination);
    }

    private static ResampleFilter ParseFilter(string name) => name switch
    {
        "bicubic" => ResampleFilter.Bicubic,
        "bilinear" => ResampleFilter.Bilinear,
        "nearest" => ResampleFilter.Nearest,
        _ => throw new ArgumentException($"preprocessing.resample '{name}' is not one of bicubic, bilinear, nearest"),
    };
}
