namespace MedServe.Dicom;

/// <summary>
/// The decoding-relevant facts of a DICOM image (no patient identifiers): geometry, sample format,
/// photometric interpretation and the transforms the pixel pipeline applies.
/// </summary>
public sealed record DicomImage
{
    /// <summary>Rows (height).</summary>
    public required int Rows { get; init; }

    /// <summary>Columns (width).</summary>
    public required int Columns { get; init; }

    /// <summary>Number of frames (1 for single-frame images).</summary>
    public int NumberOfFrames { get; init; } = 1;

    /// <summary>Samples per pixel: 1 (monochrome, palette) or 3 (colour).</summary>
    public int SamplesPerPixel { get; init; } = 1;

    /// <summary>Bits allocated per sample (1, 8, 16, 32).</summary>
    public required int BitsAllocated { get; init; }

    /// <summary>Bits stored per sample.</summary>
    public required int BitsStored { get; init; }

    /// <summary>True when samples are two's complement (Pixel Representation 1).</summary>
    public bool IsSigned { get; init; }

    /// <summary>The Photometric Interpretation as in the file, e.g. <c>MONOCHROME1</c>, <c>YBR_FULL_422</c>.</summary>
    public required string PhotometricInterpretation { get; init; }

    /// <summary>The transfer syntax UID.</summary>
    public required string TransferSyntaxUid { get; init; }

    /// <summary>Modality (0008,0060), when present.</summary>
    public string? Modality { get; init; }

    /// <summary>SOP Class UID, when present.</summary>
    public string? SopClassUid { get; init; }

    /// <summary>Rescale Slope; 1 when absent.</summary>
    public double RescaleSlope { get; init; } = 1;

    /// <summary>Rescale Intercept; 0 when absent.</summary>
    public double RescaleIntercept { get; init; }

    /// <summary>The Modality LUT Sequence's first item, when present (it replaces rescale).</summary>
    public DicomLut? ModalityLut { get; init; }

    /// <summary>Window centre/width pairs in file order (the first is the default VOI).</summary>
    public IReadOnlyList<DicomWindow> Windows { get; init; } = [];

    /// <summary>The VOI LUT Sequence's first item, when present and no window is given.</summary>
    public DicomLut? VoiLut { get; init; }

    /// <summary>The palette for <c>PALETTE COLOR</c> images.</summary>
    public DicomPalette? Palette { get; init; }
}

/// <summary>A DICOM lookup table: descriptor (entries, first mapped value, bits) and data.</summary>
/// <param name="FirstMappedValue">The stored value mapped to the first entry.</param>
/// <param name="BitsPerEntry">Bits per LUT entry (8 or 16).</param>
/// <param name="Data">The entries.</param>
public sealed record DicomLut(int FirstMappedValue, int BitsPerEntry, IReadOnlyList<int> Data);

/// <summary>One VOI window.</summary>
/// <param name="Center">Window Center.</param>
/// <param name="Width">Window Width.</param>
/// <param name="Function">VOI LUT Function: <c>LINEAR</c> (default), <c>LINEAR_EXACT</c> or <c>SIGMOID</c>.</param>
public sealed record DicomWindow(double Center, double Width, string Function = "LINEAR");

/// <summary>The red, green and blue palette LUTs of a <c>PALETTE COLOR</c> image.</summary>
/// <param name="Red">Red LUT.</param>
/// <param name="Green">Green LUT.</param>
/// <param name="Blue">Blue LUT.</param>
public sealed record DicomPalette(DicomLut Red, DicomLut Green, DicomLut Blue);

/// <summary>
/// One decoded frame: stored sample values, sign-extended and masked to Bits Stored, interleaved per
/// pixel for colour (planar configuration already resolved), row-major.
/// </summary>
/// <param name="Image">The image facts.</param>
/// <param name="Index">The frame index (0-based).</param>
/// <param name="Samples">Rows × Columns × samples-per-pixel stored values.</param>
/// <param name="SamplesPhotometric">
/// The photometric interpretation of <paramref name="Samples"/>: usually the file's, but a codec may
/// have converted colour already (e.g. a JPEG YBR_FULL_422 frame delivered as RGB).
/// </param>
public sealed record DicomFrame(DicomImage Image, int Index, int[] Samples, string SamplesPhotometric);
