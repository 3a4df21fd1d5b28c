using MedServe.Dicom.Worker;

namespace MedServe.Dicom.Gdcm;

/// <summary>
/// Reads DICOM files with GDCM. Runs in the decoder worker process (see <see cref="DicomDecoder"/>);
/// call it in-process only for trusted files (tests, tools).
/// <code>
/// file meta → HTJ2K? relabel as JPEG 2000 (GDCM 3.0 cannot parse the UID; OpenJPEG 2.5 decodes it)
/// header up to Pixel Data (unparsable? drop stray top-level items, once) → DicomImage → checks (bits, size limit, frame index)
/// ImageReader → GetBuffer (all frames) → one frame → planar resolved → int[] masked to Bits Stored
/// </code>
/// </summary>
internal static class GdcmDicomReader
{
    /// <summary>The refusal for a header GDCM stops reading early (see <see cref="StrayItemRepair"/>).</summary>
    internal const string UnparsableHeader = "GDCM could not parse this DICOM header (a malformed element before the image attributes)";

    /// <summary>Reads the header facts of a file.</summary>
    public static DicomHeaderResult ReadHeader(string path)
    {
        string? unavailable = GdcmRuntime.EnsureInitialized();
        if (unavailable is not null)
        {
            return DicomHeaderResult.Failure(unavailable);
        }

#if MEDSERVE_GDCM
        HeaderOutcome outcome = GdcmHeaderReader.Read(path);
        return outcome.Error is not null
            ? DicomHeaderResult.Failure(outcome.Error)
            : DicomHeaderResult.Success(new DicomHeader(outcome.Image!, DicomTransferSyntaxes.NameOf(outcome.Image!.TransferSyntaxUid)));
#else
        _ = path;
        return DicomHeaderResult.Failure(GdcmRuntime.MissingMessage);
#endif
    }

    /// <summary>Decodes one frame of a file, refusing files that exceed <paramref name="limits"/>.</summary>
    public static DicomDecodeResult ReadFrame(string path, int frame, DicomDecodeLimits limits)
    {
        string? unavailable = GdcmRuntime.EnsureInitialized();
        if (unavailable is not null)
        {
            return DicomDecodeResult.Failure(unavailable);
        }

#if MEDSERVE_GDCM
        HeaderOutcome header = GdcmHeaderReader.Read(path);
        if (header.Error is not null)
        {
            return DicomDecodeResult.Failure(header.Error);
        }

        DicomImage image = header.Image!;
        string? refusal = GdcmFrameDecoder.Check(image, frame, limits);
        return refusal is not null ? DicomDecodeResult.Failure(refusal) : GdcmFrameDecoder.Decode(path, image, frame);
#else
        _ = path;
        _ = frame;
        _ = limits;
        return DicomDecodeResult.Failure(GdcmRuntime.MissingMessage);
#endif
    }

    /// <summary>Reads the header of in-memory bytes (through a temporary file; GDCM reads files).</summary>
    public static DicomHeaderResult ReadHeader(ReadOnlySpan<byte> dicom)
    {
        var result = ReadHeaderOnce(dicom);
        return result.Error == UnparsableHeader && StrayItemRepair.TryRepair(dicom) is { } repaired ? ReadHeaderOnce(repaired) : result;
    }

    /// <summary>Decodes one frame of in-memory bytes (through a temporary file).</summary>
    public static DicomDecodeResult ReadFrame(ReadOnlySpan<byte> dicom, int frame, DicomDecodeLimits limits)
    {
        var result = ReadFrameOnce(dicom, frame, limits);
        return result.Error == UnparsableHeader && StrayItemRepair.TryRepair(dicom) is { } repaired ? ReadFrameOnce(repaired, frame, limits) : result;
    }

    private static DicomHeaderResult ReadHeaderOnce(ReadOnlySpan<byte> dicom)
    {
        string path = WriteTemporary(dicom, out string? relabelled);
        try
        {
            var result = ReadHeader(path);
            return relabelled is null || result.Header is not { } header
                ? result
                : DicomHeaderResult.Success(new DicomHeader(header.Image with { TransferSyntaxUid = relabelled }, DicomTransferSyntaxes.NameOf(relabelled)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static DicomDecodeResult ReadFrameOnce(ReadOnlySpan<byte> dicom, int frame, DicomDecodeLimits limits)
    {
        string path = WriteTemporary(dicom, out string? relabelled);
        try
        {
            var result = ReadFrame(path, frame, limits);
            return relabelled is null || result.Frame is not { } decoded
                ? result
                : DicomDecodeResult.Success(decoded with { Image = decoded.Image with { TransferSyntaxUid = relabelled } });
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// The name prefix of a process's temporary copies: a killed worker cannot delete its own, so the
    /// parent removes every file with the worker's prefix (they hold patient data).
    /// </summary>
    internal static string TemporaryFilePrefix(int processId) => $"medserve-dicom-{processId}-";

    /// <summary>
    /// Writes the bytes GDCM will read; an HTJ2K file is relabelled as JPEG 2000 on the way (see
    /// <see cref="DicomFileMeta.RelabelHighThroughputJpeg2000"/>) and its real UID returned.
    /// </summary>
    private static string WriteTemporary(ReadOnlySpan<byte> dicom, out string? relabelled)
    {
        byte[] copy = dicom.ToArray();
        relabelled = DicomFileMeta.RelabelHighThroughputJpeg2000(copy);
        string path = Path.Combine(Path.GetTempPath(), TemporaryFilePrefix(Environment.ProcessId) + $"{Guid.NewGuid():N}.dcm");
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        stream.Write(copy);
        return path;
    }
}
