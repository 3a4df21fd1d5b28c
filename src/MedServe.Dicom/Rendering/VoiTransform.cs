namespace MedServe.Dicom.Rendering;

/// <summary>
/// The DICOM VOI transform (PS3.3 C.11.2) onto an 8-bit output range (y_min = 0, y_max = 255).
/// </summary>
public static class VoiTransform
{
    /// <summary>
    /// True when the window can be applied: centre and width finite, width ≥ 1 for <c>LINEAR</c> (and an
    /// unrecognised function, which is treated as <c>LINEAR</c>), width &gt; 0 for <c>LINEAR_EXACT</c> and <c>SIGMOID</c>.
    /// </summary>
    /// <param name="window">The window.</param>
    /// <returns>Whether <see cref="ApplyWindow"/> accepts it.</returns>
    public static bool IsUsable(DicomWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (!double.IsFinite(window.Center) || !double.IsFinite(window.Width))
        {
            return false;
        }

        return ParseFunction(window.Function) == VoiFunction.Linear ? window.Width >= 1 : window.Width > 0;
    }

    /// <summary>
    /// Maps modality values through a window, each result rounded half away from zero to 0–255:
    /// <list type="bullet">
    /// <item><c>LINEAR</c>: x ≤ c − 0.5 − (w − 1)/2 → 0; x &gt; c − 0.5 + (w − 1)/2 → 255; otherwise
    /// ((x − (c − 0.5)) / (w − 1) + 0.5) × 255.</item>
    /// <item><c>LINEAR_EXACT</c>: x ≤ c − w/2 → 0; x &gt; c + w/2 → 255; otherwise ((x − c) / w + 0.5) × 255.</item>
    /// <item><c>SIGMOID</c>: 255 / (1 + exp(−4 (x − c) / w)).</item>
    /// </list>
    /// The function name is compared case-insensitively after trimming; an unrecognised one is <c>LINEAR</c>.
    /// </summary>
    /// <param name="values">Modality values.</param>
    /// <param name="window">The window; must satisfy <see cref="IsUsable"/>.</param>
    /// <param name="destination">Receives one byte per value.</param>
    /// <exception cref="ArgumentException">The window is not usable.</exception>
    public static void ApplyWindow(ReadOnlySpan<double> values, DicomWindow window, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, values.Length, nameof(destination));
        if (!IsUsable(window))
        {
            throw new ArgumentException("The window is not usable; check IsUsable first.", nameof(window));
        }

        double c = window.Center;
        double w = window.Width;
        switch (ParseFunction(window.Function))
        {
            case VoiFunction.LinearExact:
                {
                    double below = c - (w / 2);
                    double above = c + (w / 2);
                    for (int i = 0; i < values.Length; i++)
                    {
                        double x = values[i];
                        destination[i] = x <= below ? (byte)0 : x > above ? (byte)255 : RoundToByte((((x - c) / w) + 0.5) * 255);
                    }

                    break;
                }

            case VoiFunction.Sigmoid:
                for (int i = 0; i < values.Length; i++)
                {
                    destination[i] = RoundToByte(255 / (1 + Math.Exp(-4 * (values[i] - c) / w)));
                }

                break;

            default:
                {
                    double below = c - 0.5 - ((w - 1) / 2);
                    double above = c - 0.5 + ((w - 1) / 2);
                    for (int i = 0; i < values.Length; i++)
                    {
                        double x = values[i];
                        destination[i] = x <= below ? (byte)0 : x > above ? (byte)255 : RoundToByte((((x - (c - 0.5)) / (w - 1)) + 0.5) * 255);
                    }

                    break;
                }
        }
    }

    /// <summary>
    /// Maps modality values through the VOI LUT Sequence: entry <c>x − FirstMappedValue</c> (x truncated
    /// toward zero when fractional), clamped to the first/last entry, then scaled to 8 bits as
    /// <c>entry × 255 / (2^BitsPerEntry − 1)</c> rounded half away from zero.
    /// </summary>
    /// <param name="values">Modality values.</param>
    /// <param name="lut">The VOI LUT.</param>
    /// <param name="destination">Receives one byte per value.</param>
    /// <exception cref="DicomRenderException">The LUT is empty or its entry size is not 1–16 bits.</exception>
    public static void ApplyLut(ReadOnlySpan<double> values, DicomLut lut, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(lut);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, values.Length, nameof(destination));
        byte[] table = LutTo8Bits(lut, "VOI LUT");
        double first = lut.FirstMappedValue;
        double last = table.Length - 1;
        for (int i = 0; i < values.Length; i++)
        {
            double index = Math.Clamp(Math.Truncate(values[i] - first), 0, last);
            destination[i] = table[(int)index];
        }
    }

    /// <summary>Rounds half away from zero and clamps to 0–255.</summary>
    internal static byte RoundToByte(double value)
    {
        double rounded = Math.Round(value, MidpointRounding.AwayFromZero);
        return rounded <= 0 ? (byte)0 : rounded >= 255 ? (byte)255 : (byte)rounded;
    }

    /// <summary>A LUT's entries scaled from BitsPerEntry to 8 bits, rounded half away from zero, clamped.</summary>
    internal static byte[] LutTo8Bits(DicomLut lut, string what)
    {
        int[] entries = ModalityTransform.LutEntries(lut, what);
        if (lut.BitsPerEntry is < 1 or > 16)
        {
            throw new DicomRenderException($"{what} entries of {lut.BitsPerEntry} bits are not supported");
        }

        double scale = 255.0 / ((1 << lut.BitsPerEntry) - 1);
        var table = new byte[entries.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            table[i] = RoundToByte(entries[i] * scale);
        }

        return table;
    }

    private static VoiFunction ParseFunction(string? function) => function?.Trim().ToUpperInvariant() switch
    {
        "LINEAR_EXACT" => VoiFunction.LinearExact,
        "SIGMOID" => VoiFunction.Sigmoid,
        _ => VoiFunction.Linear,
    };
}
