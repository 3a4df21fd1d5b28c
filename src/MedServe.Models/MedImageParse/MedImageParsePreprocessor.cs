using MedServe.Imaging;
using MedServe.Inference.Packages;

namespace MedServe.Models.MedImageParse;

/// <summary>
/// The BiomedParse image input, as the reference prepares it:
/// <code>
/// decoded ─► RGB uint8 (gray replicated, alpha dropped)
///         ─► [auto_preprocess: centred black pad to square, the toolkit's geometry]
///         ─► bicubic to S×S when not already S×S ─► (v − mean) / std on the 0–255 scale ─► NCHW float32 [1, 3, S, S]
/// </code>
/// Without <c>auto_preprocess</c> a non-square image is stretched, as the hosted service does; clients
/// pad to square first. With it, the padding is the healthcare-ai toolkit's: <c>(long − short) // 2</c>
/// black columns (or rows) on each side, so an odd difference leaves the padded image one pixel short
/// of square and the resize stretches that pixel, exactly as the toolkit does.
/// </summary>
public sealed class MedImageParsePreprocessor
{
    /// <summary>The reference mean on the 0–255 scale, RGB.</summary>
    public static IReadOnlyList<float> Mean { get; } = [123.675f, 116.28f, 103.53f];

    /// <summary>The reference standard deviation on the 0–255 scale, RGB.</summary>
    public static IReadOnlyList<float> Std { get; } = [58.395f, 57.12f, 57.375f];

    private readonly float[] _mean;
    private readonly float[] _std;
    private readonly float _scale;

    /// <summary>Creates the pre-processor for an image encoder taking <paramref name="imageSize"/>² with the reference mean and std.</summary>
    public MedImageParsePreprocessor(int imageSize = 1024)
        : this(new PreprocessingSettings { ImageSize = imageSize, Scale = 1f, Mean = Mean, Std = Std })
    {
    }

    /// <summary>Creates the pre-processor a package's settings describe.</summary>
    /// <exception cref="ArgumentException">The settings cannot be used (size below 1, mean or std not 3 values, a std of 0).</exception>
    public MedImageParsePreprocessor(PreprocessingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ImageSize < 1)
        {
            throw new ArgumentException($"preprocessing.image_size must be at least 1, got {settings.ImageSize}", nameof(settings));
        }

        if (settings.Mean.Count != 3 || settings.Std.Count != 3 || settings.Std.Any(s => !(s > 0)))
        {
            throw new ArgumentException("preprocessing.mean and preprocessing.std must hold 3 values each, std positive", nameof(settings));
        }

        ImageSize = settings.ImageSize;
        _mean = [.. settings.Mean];
        _std = [.. settings.Std];
        _scale = settings.Scale;
    }

    /// <summary>The square side of the image encoder input.</summary>
    public int ImageSize { get; }

    /// <summary>The number of floats of the input tensor (3 × side × side).</summary>
    public int TensorLength => 3 * ImageSize * ImageSize;

    /// <summary>Writes the encoder input for one image (no padding; a non-square image is stretched).</summary>
    public void Process(PixelBuffer image, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        TensorWriter.WriteNchw(Resize(ImageConverter.ToRgb(image)), _mean, _std, _scale, destination);
    }

    /// <summary>
    /// Prepares one image: the encoder input, the S×S RGB image the model was given (the existence
    /// statistics and recognition are computed on it, as the reference does on its 1024² input), and
    /// where the masks go back to.
    /// </summary>
    /// <param name="image">The decoded image.</param>
    /// <param name="autoPreprocess">Pad to square (the toolkit's geometry) before the resize, and map masks back.</param>
    public PreparedParseImage Prepare(PixelBuffer image, bool autoPreprocess)
    {
        ArgumentNullException.ThrowIfNull(image);
        var rgb = ImageConverter.ToRgb(image);
        var (source, output) = autoPreprocess ? PadToSquare(rgb) : (rgb, MaskWindow.Whole(rgb.Height, rgb.Width));
        var square = Resize(source);
        float[] tensor = new float[TensorLength];
        TensorWriter.WriteNchw(square, _mean, _std, _scale, tensor);
        return new PreparedParseImage(tensor, output, square, MaskWindow.Whole(ImageSize, ImageSize));
    }

    /// <summary>
    /// Centres <paramref name="rgb"/> on black with <c>(long − short) // 2</c> pixels each side of the short axis;
    /// returns the padded image and the window of the original inside it.
    /// </summary>
    internal static (PixelBuffer Padded, MaskWindow Original) PadToSquare(PixelBuffer rgb)
    {
        int w = rgb.Width;
        int h = rgb.Height;
        int pad = Math.Abs(h - w) / 2;
        int left = h > w ? pad : 0;
        int top = w > h ? pad : 0;
        int paddedWidth = w + (2 * left);
        int paddedHeight = h + (2 * top);
        if (left == 0 && top == 0)
        {
            return (rgb, MaskWindow.Whole(h, w));
        }

        var padded = new PixelBuffer(paddedWidth, paddedHeight, PixelFormat.Rgb8);
        for (int y = 0; y < h; y++)
        {
            rgb.Row(y).CopyTo(padded.Row(y + top)[(left * 3)..]);
        }

        return (padded, new MaskWindow(paddedHeight, paddedWidth, top, left, h, w));
    }

    private PixelBuffer Resize(PixelBuffer rgb) =>
        rgb.Width == ImageSize && rgb.Height == ImageSize
            ? rgb
            : PillowResampler.Resize(rgb, ImageSize, ImageSize, ResampleFilter.Bicubic);
}
