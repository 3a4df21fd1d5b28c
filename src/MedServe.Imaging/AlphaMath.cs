namespace MedServe.Imaging;

/// <summary>Pillow's integer premultiply (<c>RGBA→RGBa</c>, <c>LA→La</c>) and unpremultiply conversions.</summary>
internal static class AlphaMath
{
    /// <summary>Multiplies each colour sample by alpha/255 in place, rounding as Pillow's <c>MULDIV255</c>.</summary>
    /// <param name="samples">Interleaved samples whose last channel is alpha.</param>
    /// <param name="channels">2 or 4.</param>
    public static void Premultiply(Span<byte> samples, int channels)
    {
        for (int p = 0; p < samples.Length; p += channels)
        {
            int alpha = samples[p + channels - 1];
            for (int c = 0; c < channels - 1; c++)
            {
                int t = (samples[p + c] * alpha) + 128;
                samples[p + c] = (byte)(((t >> 8) + t) >> 8);
            }
        }
    }

    /// <summary>
    /// Divides each colour sample by alpha/255 in place as Pillow does: truncating integer division, clipped
    /// to 255, and samples left alone when alpha is 0 or 255.
    /// </summary>
    /// <param name="samples">Interleaved samples whose last channel is alpha.</param>
    /// <param name="channels">2 or 4.</param>
    public static void Unpremultiply(Span<byte> samples, int channels)
    {
        for (int p = 0; p < samples.Length; p += channels)
        {
            int alpha = samples[p + channels - 1];
            if (alpha is 0 or 255)
            {
                continue;
            }

            for (int c = 0; c < channels - 1; c++)
            {
                samples[p + c] = (byte)Math.Min(255, 255 * samples[p + c] / alpha);
            }
        }
    }
}
