using MedServe.Imaging;
using MedServe.Inference.Packages;

namespace MedServe.Models.CxrReportGen;

/// <summary>
/// The CXRReportGen image input, as MAIRA-2's processor prepares it:
/// <code>
/// decoded ─► gray (Pillow "L") ─► min–max stretch to 0–255 (float64, truncated) ─► shortest side to S (bicubic)
///         ─► centre crop S×S ─► v·scale − mean, / std, gray replicated to 3 channels ─► NCHW float32 [3, S, S]
/// </code>
/// The crop the model sees is the centred square of side min(W, H) of the original image; boxes are
/// relative to it (<see cref="CropGeometry"/>).
/// </summary>
public sealed class CxrReportGenPreprocessor
{
    private readonly float[] _mean;
    private readonly float[] _std;
    private readonly float _scale;
    private readonly ResampleFilter _filter;

    /// <summary>Creates the pre-processor from a package's settings.</summary>
    /// <exception cref="ArgumentException">The settings are unusable.</exception>
    public CxrReportGenPreprocessor(PreprocessingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ImageSize < 1 || settings.Mean.Count != 3 || settings.Std.Count != 3 || settings.Std.Any(s => s <= 0))
        {
            throw new ArgumentException("preprocessing needs image_size ≥ 1, three mean values and three positive std values");
        }

        ImageSize = settings.ImageSize;
        _mean = [.. settings.Mean];
        _std = [.. settings.Std];
        _scale = settings.Scale;
        _filter = settings.Resample switch
        {
            "bicubic" => ResampleFilter.Bicubic,
            "bilinear" => ResampleFilter.Bilinear,
            "nearest" => ResampleFilter.Nearest,
            var other => throw new ArgumentException($"preprocessing.resample '{other}' is not one of bicubic, bilinear, nearest"),
        };
    }

    /// <summary>The square side S of the vision input.</summary>
    public int ImageSize { get; }

    /// <summary>The floats of one image's tensor (3 × S × S).</summary>
    public int TensorLength => 3 * ImageSize * ImageSize;

    /// <summary>Writes one image's vision input into <paramref name="destination"/>.</summary>
    public void Process(PixelBuffer image, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        var gray = Stretch(ImageConverter.ToGray(image));
        int width = gray.Width;
        int height = gray.Height;
        // Transformers' shortest-edge resize: the short side becomes S, the long side int(S · long / short).
        (int resizedWidth, int resizedHeight) = width <= height
            ? (ImageSize, (int)((long)ImageSize * height / width))
            : ((int)((long)ImageSize * width / height), ImageSize);
        var resized = resizedWidth == width && resizedHeight == height ? gray : PillowResampler.Resize(gray, resizedWidth, resizedHeight, _filter);
        var cropped = CentreCrop(resized, ImageSize);
        TensorWriter.WriteNchw(ImageConverter.ToRgb(cropped), _mean, _std, _scale, destination);
    }

    /// <summary>
    /// <c>((v − min) / (max − min) · 255).astype(uint8)</c>, as MAIRA-2 does in float64. A constant image
    /// (where the reference divides by zero) becomes all zeros.
    /// </summary>
    internal static PixelBuffer Stretch(PixelBuffer gray)
    {
        byte min = 255;
        byte max = 0;
        foreach (byte v in gray.Data.AsSpan(0, gray.Height * gray.Stride))
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        var lookup = new byte[256];
        if (max > min)
        {
            double range = max - min;
            for (int v = min; v <= max; v++)
            {
                lookup[v] = (byte)((v - min) / range * 255.0);
            }
        }

        var result = new PixelBuffer(gray.Width, gray.Height, gray.Format);
        for (int y = 0; y < gray.Height; y++)
        {
            var source = gray.Row(y);
            var target = result.Row(y);
            for (int x = 0; x < gray.Width; x++)
            {
                target[x] = lookup[source[x]];
            }
        }

        return result;
    }

    /// <summary>The centred <paramref name="side"/>² square, offsets <c>(W − side) // 2</c> and <c>(H − side) // 2</c>.</summary>
    internal static PixelBuffer CentreCrop(PixelBuffer image, int side)
    {
        if (image.Width == side && image.Height == side)
        {
            return image;
        }

        int left = (image.Width - side) / 2;
        int top = (image.Height - side) / 2;
        int channels = image.Channels;
        var result = new PixelBuffer(side, side, image.Format);
        for (int y = 0; y < side; y++)
        {
            image.Row(top + y).Slice(left * channels, side * channels).CopyTo(result.Row(y));
        }

        return result;
    }
}
