using MedServe.Dicom.Worker;

namespace MedServe.Models;

/// <summary>Serving settings applied when a package is turned into a model.</summary>
public sealed record ModelLoadOptions
{
    /// <summary>
    /// Images with more pixels are refused (decompression bombs).
    /// <value>The default is 178,956,970, Pillow's decompression-bomb error limit.</value>
    /// </summary>
    public long MaxImagePixels { get; init; } = 178_956_970;

    /// <summary>Overrides the package's rows-per-request limit. <value>The default is null (the package's).</value></summary>
    public int? MaxRows { get; init; }

    /// <summary>
    /// Decodes DICOM cells (in worker processes); owned by the host, shared by its models.
    /// <value>The default is null: DICOM cells are refused with a 400.</value>
    /// </summary>
    public DicomDecoder? Dicom { get; init; }
}
