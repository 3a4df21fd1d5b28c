namespace MedServe.Imaging.Overlays;

/// <summary>
/// Draws probability masks over an image:
/// <code>
/// image ─► RGB copy ─► tint every mask in order ─► outline every mask in order ─► result
///                      (value ≥ 128: 45 % mask colour,  (inside pixels with a 4-neighbour outside the
///                       55 % what is under it)           mask or the image: the mask colour, opaque)
/// </code>
/// Tinting every mask before outlining any keeps each outline visible where masks overlap: a later mask
/// tints over an earlier one, and no tint hides an outline.
/// </summary>
public static class MaskOverlay
{
    /// <summary>The share of the mask colour in a tinted pixel, in percent. <value>The value is 45.</value></summary>
    public const int TintPercent = 45;

    /// <summary>Draws the masks over the image, mask <c>i</c> in <paramref name="colors"/>[i].</summary>
    /// <param name="image">The image, of the masks' geometry; any format (converted as Pillow's <c>convert("RGB")</c>); not modified.</param>
    /// <param name="masks">The masks.</param>
    /// <param name="colors">One colour per mask, or <see langword="null"/> for <see cref="OverlayPalette.ForIndex"/>.</param>
    /// <returns>A new <see cref="PixelFormat.Rgb8"/> image.</returns>
    /// <exception cref="ArgumentException">The geometries differ, or there are fewer colours than masks.</exception>
    public static PixelBuffer Draw(PixelBuffer image, MaskStack masks, IReadOnlyList<OverlayColor>? colors = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(masks);
        if (image.Width != masks.Width || image.Height != masks.Height)
        {
            throw new ArgumentException($"The image is {image.Width}x{image.Height}; the masks are {masks.Width}x{masks.Height}.", nameof(masks));
        }

        if (colors is not null && colors.Count < masks.Count)
        {
            throw new ArgumentException($"{masks.Count} masks need as many colours; got {colors.Count}.", nameof(colors));
        }

        var result = ImageConverter.ToRgb(image);
        for (int i = 0; i < masks.Count; i++)
        {
            Tint(result.Data, masks.Mask(i), colors?[i] ?? OverlayPalette.ForIndex(i));
        }

        for (int i = 0; i < masks.Count; i++)
        {
            Outline(result.Data, masks.Mask(i), masks.Width, masks.Height, colors?[i] ?? OverlayPalette.ForIndex(i));
        }

        return result;
    }

    /// <summary>One tinted sample: <c>round(under · 0.55 + over · 0.45)</c>, halves rounded up.</summary>
    /// <param name="under">The image's sample.</param>
    /// <param name="over">The mask colour's sample.</param>
    /// <returns>The blended sample.</returns>
    public static byte Blend(byte under, byte over) =>
        (byte)(((under * (100 - TintPercent)) + (over * TintPercent) + 50) / 100);

    /// <summary>Whether a mask value counts as inside the mask.</summary>
    /// <param name="value">The mask sample (probability × 255).</param>
    /// <returns><see langword="true"/> when <paramref name="value"/> ≥ <see cref="MaskStack.Threshold"/>.</returns>
    public static bool IsInside(byte value) => value >= MaskStack.Threshold;

    private static void Tint(Span<byte> rgb, ReadOnlySpan<byte> mask, OverlayColor color)
    {
        for (int p = 0; p < mask.Length; p++)
        {
            if (IsInside(mask[p]))
            {
                int j = p * 3;
                rgb[j] = Blend(rgb[j], color.R);
                rgb[j + 1] = Blend(rgb[j + 1], color.G);
                rgb[j + 2] = Blend(rgb[j + 2], color.B);
            }
        }
    }

    private static void Outline(Span<byte> rgb, ReadOnlySpan<byte> mask, int width, int height, OverlayColor color)
    {
        for (int y = 0; y < height; y++)
        {
            int row = y * width;
            for (int x = 0; x < width; x++)
            {
                int p = row + x;
                if (!IsInside(mask[p]))
                {
                    continue;
                }

                bool boundary = x == 0 || y == 0 || x == width - 1 || y == height - 1
                    || !IsInside(mask[p - 1]) || !IsInside(mask[p + 1])
                    || !IsInside(mask[p - width]) || !IsInside(mask[p + width]);
                if (boundary)
                {
                    int j = p * 3;
                    rgb[j] = color.R;
                    rgb[j + 1] = color.G;
                    rgb[j + 2] = color.B;
                }
            }
        }
    }
}
