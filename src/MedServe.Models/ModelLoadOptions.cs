using MedServe.Dicom.Worker;
using MedServe.Models.Buffers;

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

    /// <summary>
    /// Coalesces the encoder rows of the requests one model instance runs at once into shared graph runs.
    /// <value>The default is null: every request runs its own rows, in chunks of the package's <c>limits.max_batch_size</c> (CXRReportGen's vision graph: its own <c>max_batch_size</c> when it declares one).</value>
    /// </summary>
    public BatchingOptions? Batching { get; init; }

    /// <summary>The clock of the batching queue delay. <value>The default is <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Lends the buffers large image cells are decoded into, so consecutive large requests reuse them.
    /// <value>The default is <see cref="RequestBufferPool.Shared"/>.</value>
    /// </summary>
    public RequestBufferPool Buffers { get; init; } = RequestBufferPool.Shared;
}
