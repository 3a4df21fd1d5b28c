using MedServe.Imaging;

namespace MedServe.Models.MedImageParse;

/// <summary>
/// The BiomedParse image input, as the reference prepares it:
/// <code>
/// decoded ─► RGB uint8 (gray replicated, alpha dropped) ─► bicubic to S×S when not already S×S
///         ─► (v − mean) / std on the 0–255 scale ─► NCHW float32 [1, 3, S, S]
/// </code>
/// A non-square image is stretched, as the hosted service does; clients pad to square first (or ask
/// for server-side preparation).
/// </summary>
public sealed class MedImageParsePreprocessor
{
    /// <summary>The reference mean on the 0–255 scale, RGB.</summary>
    public static IReadOnlyList<float> Mean { get; } = [123.675f, 116.28f, 103.53f];

    /// <summary>The reference standard deviation on the 0–255 scale, RGB.</summary>
    public static IReadOnlyList<float> Std { get; } = [58.395f, 57.12f, 57.375f];

    private readonly float[] _mean = [.. Mean];
    private readonly float[] _std = [.. Std];

    /// <summary>Creates the pre-processor for an image encoder taking <paramref name="imageSize"/>².</summary>
    public MedImageParsePreprocessor(int imageSize = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, 1);
        ImageSize = imageSize;
    }

    /// <summary>The square side of the image encoder input.</summary>
    public int ImageSize { get; }

    /// <summary>The number of floats of the input tensor (3 × side × side).</summary>
    public int TensorLength => 3 * ImageSize * ImageSize;

    /// <summary>Writes the encoder input for one image.</summary>
    public void Process(PixelBuffer image, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        var rgb = ImageConverter.ToRgb(image);
        if (rgb.Width != ImageSize || rgb.Height != ImageSize)
        {
            rgb = PillowResampler.Resize(rgb, ImageSize, ImageSize, ResampleFilter.Bicubic);
        }

        TensorWriter.WriteNchw(rgb, _mean, _std, 1f, destination);
    }
}
