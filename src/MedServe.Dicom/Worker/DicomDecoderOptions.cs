namespace MedServe.Dicom.Worker;

/// <summary>Settings of <see cref="DicomDecoder"/>.</summary>
public sealed record DicomDecoderOptions
{
    /// <summary>How many worker processes decode at once (each stays warm between decodes).</summary>
    /// <value>The default is the processor count.</value>
    public int PoolSize { get; init; } = Environment.ProcessorCount;

    /// <summary>How long one decode may take before its worker is killed and replaced.</summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan DecodeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The worker's <c>MedServe.Dicom.Worker.dll</c>; null to look next to MedServe.Dicom.dll and then
    /// in the application's base directory.
    /// </summary>
    /// <value>The default is null.</value>
    public string? WorkerPath { get; init; }
}
