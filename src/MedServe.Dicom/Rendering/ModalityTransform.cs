namespace MedServe.Dicom.Rendering;

/// <summary>
/// The DICOM modality transform (PS3.3 C.11.1): stored values to modality units (e.g. HU).
/// </summary>
public static class ModalityTransform
{
    /// <summary>
    /// Applies the Modality LUT Sequence when <see cref="DicomImage.ModalityLut"/> is present (it replaces
    /// rescale), otherwise <c>stored × RescaleSlope + RescaleIntercept</c> in double precision.
    /// </summary>
    /// <param name="image">The image facts.</param>
    /// <param name="stored">Stored values, one per pixel.</param>
    /// <param name="destination">Receives the modality values; at least as long as <paramref name="stored"/>.</param>
    /// <exception cref="DicomRenderException">The LUT is empty, or slope or intercept is not finite.</exception>
    public static void Apply(DicomImage image, ReadOnlySpan<int> stored, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, stored.Length, nameof(destination));
        if (image.ModalityLut is { } lut)
        {
            ApplyLut(lut, stored, destination);
            return;
        }

        double slope = image.RescaleSlope;
        double intercept = image.RescaleIntercept;
        if (!double.IsFinite(slope) || !double.IsFinite(intercept))
        {
            throw new DicomRenderException("rescale slope or intercept is not a finite number");
        }

        for (int i = 0; i < stored.Length; i++)
        {
            destination[i] = (stored[i] * slope) + intercept;
        }
    }

    /// <summary>
    /// Looks each value up in <paramref name="lut"/>: entry <c>value − FirstMappedValue</c>, clamped to the
    /// first entry below the table and the last entry above it (PS3.3 C.11.1.1).
    /// </summary>
    /// <param name="lut">The lookup table.</param>
    /// <param name="stored">Stored values, one per pixel.</param>
    /// <param name="destination">Receives the LUT entries; at least as long as <paramref name="stored"/>.</param>
    /// <exception cref="DicomRenderException">The LUT has no entries.</exception>
    public static void ApplyLut(DicomLut lut, ReadOnlySpan<int> stored, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(lut);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, stored.Length, nameof(destination));
        int[] entries = LutEntries(lut, "modality LUT");
        long first = lut.FirstMappedValue;
        int last = entries.Length - 1;
        for (int i = 0; i < stored.Length; i++)
        {
            long index = Math.Clamp(stored[i] - first, 0, last);
            destination[i] = entries[index];
        }
    }

    internal static int[] LutEntries(DicomLut lut, string what)
    {
        if (lut.Data.Count == 0)
        {
            throw new DicomRenderException($"{what} has no entries");
        }

        // One copy up front so the per-pixel loop indexes an array rather than an interface.
        return lut.Data is int[] array ? array : [.. lut.Data];
    }
}
