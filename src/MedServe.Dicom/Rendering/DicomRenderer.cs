using System.Buffers;
using MedServe.Imaging;

namespace MedServe.Dicom.Rendering;

/// <summary>
/// Renders one decoded DICOM frame to the 8-bit image a model's client would have produced.
/// <code>
/// MONOCHROME1/2:
///   stored ─► modality (Modality LUT, else slope·x + intercept) ─► preset ─► MONOCHROME1: 255 − y ─► Gray8
///     preset window:      first usable Window (LINEAR / LINEAR_EXACT / SIGMOID) │ VOI LUT │ min–max
///     preset percentile:  clip to [P_low, P_high] (numpy linear; all or non-zero pixels), scale, truncate
///     preset ct:SITE:     clip to the site's HU window, scale, truncate
///     preset minmax:      clip to [min, max], scale, truncate
/// RGB, YBR_FULL, YBR_FULL_422, YBR_ICT, YBR_RCT ─► RGB, scaled to 8 bits ─► Rgb8   (preset ignored)
/// PALETTE COLOR ─► red/green/blue LUTs, entries scaled to 8 bits ─► Rgb8           (preset ignored)
/// </code>
/// </summary>
public static class DicomRenderer
{
    // Code String values are at most 16 characters; anything longer is cut before it reaches a message.
    private const int MaxEchoedPhotometric = 16;

    /// <summary>Renders <paramref name="frame"/> with <paramref name="normalization"/>.</summary>
    /// <param name="frame">The decoded frame; its <see cref="DicomFrame.SamplesPhotometric"/> says what the samples are.</param>
    /// <param name="normalization">
    /// The preset for monochrome frames; resolve <see cref="ModelDefaultPercentileNormalization"/> first with
    /// <see cref="DicomNormalization.WithModelDefault"/>. Colour and palette frames ignore it.
    /// </param>
    /// <returns><see cref="PixelFormat.Gray8"/> for monochrome, <see cref="PixelFormat.Rgb8"/> for colour and palette.</returns>
    /// <exception cref="DicomRenderException">The frame cannot be rendered; the message is client-safe.</exception>
    /// <exception cref="ArgumentException">The preset is unresolved or its percentile bounds are invalid.</exception>
    public static PixelBuffer Render(DicomFrame frame, DicomNormalization normalization)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(normalization);
        string given = (frame.SamplesPhotometric ?? string.Empty).Trim();
        return given.ToUpperInvariant() switch
        {
            "MONOCHROME1" => RenderMonochrome(frame, normalization, invert: true),
            "MONOCHROME2" => RenderMonochrome(frame, normalization, invert: false),
            "RGB" => RenderColor(frame, ColorTransform.FromRgb),
            "YBR_FULL" or "YBR_FULL_422" or "YBR_ICT" => RenderColor(frame, ColorTransform.FromYbrFull),
            "YBR_RCT" => RenderColor(frame, ColorTransform.FromYbrRct),
            "PALETTE COLOR" => RenderPalette(frame),
            _ => throw new DicomRenderException($"photometric interpretation '{Echo(given)}' is not supported"),
        };
    }

    private static PixelBuffer RenderMonochrome(DicomFrame frame, DicomNormalization normalization, bool invert)
    {
        int pixels = CheckSamples(frame, samplesPerPixel: 1);
        var output = new byte[pixels];
        double[] rented = ArrayPool<double>.Shared.Rent(pixels);
        try
        {
            Span<double> values = rented.AsSpan(0, pixels);
            ModalityTransform.Apply(frame.Image, frame.Samples, values);
            switch (normalization)
            {
                case WindowNormalization:
                    ApplyFileVoi(frame.Image, values, output);
                    break;
                case PercentileNormalization p:
                    if (!(p.Low is >= 0 and <= 100) || !(p.High is >= 0 and <= 100) || !(p.Low < p.High))
                    {
                        throw new ArgumentException("Percentile bounds must satisfy 0 <= Low < High <= 100.", nameof(normalization));
                    }

                    // No pixel left to take percentiles of (e.g. an all-zero frame with non-zero-only): all zero.
                    (double Low, double High) bounds = Percentiles.Bounds(values, p.Low, p.High, p.NonZeroOnly) ?? (0, 0);
                    IntensityScaling.ClipAndScale(values, bounds.Low, bounds.High, output);
                    break;
                case CtWindowNormalization ct:
                    IntensityScaling.ClipAndScale(values, ct.LowHu, ct.HighHu, output);
                    break;
                case MinMaxNormalization:
                    ApplyMinMax(values, output);
                    break;
                default:
                    throw new ArgumentException(
                        $"{normalization.GetType().Name} must be resolved with WithModelDefault before rendering.",
                        nameof(normalization));
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }

        if (invert)
        {
            for (int i = 0; i < output.Length; i++)
            {
                output[i] = (byte)(255 - output[i]);
            }
        }

        return new PixelBuffer(frame.Image.Columns, frame.Image.Rows, PixelFormat.Gray8, output);
    }

    private static void ApplyFileVoi(DicomImage image, ReadOnlySpan<double> values, Span<byte> output)
    {
        // The first window is the default VOI; an unusable one (e.g. width 0) is treated as no window.
        if (image.Windows.Count > 0 && VoiTransform.IsUsable(image.Windows[0]))
        {
            VoiTransform.ApplyWindow(values, image.Windows[0], output);
        }
        else if (image.VoiLut is { } lut)
        {
            VoiTransform.ApplyLut(values, lut, output);
        }
        else
        {
            ApplyMinMax(values, output);
        }
    }

    private static void ApplyMinMax(ReadOnlySpan<double> values, Span<byte> output)
    {
        (double min, double max) = IntensityScaling.MinMax(values);
        IntensityScaling.ClipAndScale(values, min, max, output);
    }

    private static PixelBuffer RenderColor(DicomFrame frame, ColorConversion convert)
    {
        int bits = frame.Image.BitsStored;
        if (bits is < 1 or > 16)
        {
            throw new DicomRenderException($"colour samples of {bits} bits stored are not supported");
        }

        int pixels = CheckSamples(frame, samplesPerPixel: 3);
        var output = new byte[pixels * 3];
        convert(frame.Samples, bits, output);
        return new PixelBuffer(frame.Image.Columns, frame.Image.Rows, PixelFormat.Rgb8, output);
    }

    private static PixelBuffer RenderPalette(DicomFrame frame)
    {
        DicomPalette palette = frame.Image.Palette ?? throw new DicomRenderException("palette color image has no palette");
        int pixels = CheckSamples(frame, samplesPerPixel: 1);
        var output = new byte[pixels * 3];
        ColorTransform.FromPalette(frame.Samples, palette, output);
        return new PixelBuffer(frame.Image.Columns, frame.Image.Rows, PixelFormat.Rgb8, output);
    }

    private static int CheckSamples(DicomFrame frame, int samplesPerPixel)
    {
        DicomImage image = frame.Image;
        if (image.Rows < 1 || image.Columns < 1)
        {
            throw new DicomRenderException("image has no pixels");
        }

        long pixels = (long)image.Rows * image.Columns;
        if (frame.Samples is null || frame.Samples.LongLength != pixels * samplesPerPixel)
        {
            throw new DicomRenderException(
                $"decoded frame does not hold {samplesPerPixel} sample(s) for each of the {image.Rows}x{image.Columns} pixels");
        }

        return (int)pixels;
    }

    private static string Echo(string text) => text.Length <= MaxEchoedPhotometric ? text : text[..MaxEchoedPhotometric];

    private delegate void ColorConversion(ReadOnlySpan<int> samples, int bitsStored, Span<byte> destination);
}
