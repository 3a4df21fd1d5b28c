namespace MedServe.Dicom.Rendering;

/// <summary>
/// Colour frames to 8-bit RGB. Samples are interleaved per pixel (the decoder resolves planar configuration
/// and, for YBR_FULL_422, delivers full-resolution samples). With Bits Stored b, results are computed at full
/// precision and scaled as <c>v × 255 / (2^b − 1)</c>, rounded half away from zero and clamped to 0–255
/// (for b = 8 the scale is exactly 1).
/// </summary>
internal static class ColorTransform
{
    /// <summary>RGB: each sample scaled to 8 bits.</summary>
    public static void FromRgb(ReadOnlySpan<int> samples, int bitsStored, Span<byte> destination)
    {
        double scale = ScaleTo8Bits(bitsStored);
        for (int i = 0; i < samples.Length; i++)
        {
            destination[i] = VoiTransform.RoundToByte(samples[i] * scale);
        }
    }

    /// <summary>
    /// YBR_FULL, YBR_FULL_422 and YBR_ICT: the inverse of PS3.3 C.7.6.3.1.2's YBR_FULL equations with the
    /// chroma offset 2^(b−1): R = Y + 1.402·Cr′, G = Y − 0.344136·Cb′ − 0.714136·Cr′, B = Y + 1.772·Cb′.
    /// </summary>
    public static void FromYbrFull(ReadOnlySpan<int> samples, int bitsStored, Span<byte> destination)
    {
        double scale = ScaleTo8Bits(bitsStored);
        double half = 1L << (bitsStored - 1);
        for (int i = 0; i + 2 < samples.Length; i += 3)
        {
            double y = samples[i];
            double cb = samples[i + 1] - half;
            double cr = samples[i + 2] - half;
            destination[i] = VoiTransform.RoundToByte((y + (1.402 * cr)) * scale);
            destination[i + 1] = VoiTransform.RoundToByte((y - (0.344136 * cb) - (0.714136 * cr)) * scale);
            destination[i + 2] = VoiTransform.RoundToByte((y + (1.772 * cb)) * scale);
        }
    }

    /// <summary>
    /// YBR_RCT (JPEG 2000 reversible transform, Cb and Cr as signed differences without offset):
    /// G = Y − ⌊(Cb + Cr) / 4⌋, R = Cr + G, B = Cb + G.
    /// </summary>
    public static void FromYbrRct(ReadOnlySpan<int> samples, int bitsStored, Span<byte> destination)
    {
        double scale = ScaleTo8Bits(bitsStored);
        for (int i = 0; i + 2 < samples.Length; i += 3)
        {
            long y = samples[i];
            long cb = samples[i + 1];
            long cr = samples[i + 2];
            long g = y - ((cb + cr) >> 2);
            destination[i] = VoiTransform.RoundToByte((cr + g) * scale);
            destination[i + 1] = VoiTransform.RoundToByte(g * scale);
            destination[i + 2] = VoiTransform.RoundToByte((cb + g) * scale);
        }
    }

    /// <summary>
    /// PALETTE COLOR: each stored value indexes the red, green and blue LUTs (entry <c>v − FirstMappedValue</c>,
    /// clamped to the first/last entry), entries scaled to 8 bits as <c>e × 255 / (2^BitsPerEntry − 1)</c> rounded.
    /// </summary>
    public static void FromPalette(ReadOnlySpan<int> samples, DicomPalette palette, Span<byte> destination)
    {
        byte[] red = VoiTransform.LutTo8Bits(palette.Red, "red palette LUT");
        byte[] green = VoiTransform.LutTo8Bits(palette.Green, "green palette LUT");
        byte[] blue = VoiTransform.LutTo8Bits(palette.Blue, "blue palette LUT");
        long redFirst = palette.Red.FirstMappedValue;
        long greenFirst = palette.Green.FirstMappedValue;
        long blueFirst = palette.Blue.FirstMappedValue;
        for (int i = 0, j = 0; i < samples.Length; i++, j += 3)
        {
            long v = samples[i];
            destination[j] = red[Math.Clamp(v - redFirst, 0, red.Length - 1)];
            destination[j + 1] = green[Math.Clamp(v - greenFirst, 0, green.Length - 1)];
            destination[j + 2] = blue[Math.Clamp(v - blueFirst, 0, blue.Length - 1)];
        }
    }

    private static double ScaleTo8Bits(int bitsStored) => 255.0 / ((1L << bitsStored) - 1);
}
