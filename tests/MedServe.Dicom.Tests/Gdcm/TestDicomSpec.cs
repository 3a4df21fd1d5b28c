namespace MedServe.Dicom.Tests.Gdcm;

/// <summary>
/// What <c>TestDicomWriter</c> writes: geometry, sample format, the stored values (row-major,
/// frames one after another, colour interleaved) and the optional transforms.
/// </summary>
internal sealed record TestDicomSpec
{
    public required int Rows { get; init; }

    public required int Columns { get; init; }

    public int Frames { get; init; } = 1;

    public int SamplesPerPixel { get; init; } = 1;

    public int BitsAllocated { get; init; } = 16;

    public int BitsStored { get; init; } = 12;

    public bool Signed { get; init; }

    /// <summary><c>MONOCHROME1</c>, <c>MONOCHROME2</c> or <c>RGB</c>.</summary>
    public string Photometric { get; init; } = "MONOCHROME2";

    /// <summary>Rows × Columns × Frames × SamplesPerPixel stored values.</summary>
    public required int[] Samples { get; init; }

    public double? RescaleSlope { get; init; }

    public double? RescaleIntercept { get; init; }

    /// <summary>Window centre/width pairs, written as multi-valued (0028,1050)/(0028,1051).</summary>
    public IReadOnlyList<(double Center, double Width)> Windows { get; init; } = [];

    public string Modality { get; init; } = "OT";

    /// <summary>True to compress with RLE Lossless (GDCM's ImageChangeTransferSyntax).</summary>
    public bool Rle { get; init; }
}
