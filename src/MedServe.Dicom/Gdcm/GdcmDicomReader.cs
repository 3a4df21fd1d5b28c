using MedServe.Dicom.Worker;

namespace MedServe.Dicom.Gdcm;

/// <summary>
/// Reads DICOM files with GDCM. Runs in the decoder worker process (see <see cref="DicomDecoder"/>);
/// call it in-process only for trusted files (tests, tools).
/// <code>
/// file meta → HTJ2K? refuse          (GDCM 3.0 cannot even parse these)
/// header up to Pixel Data → DicomImage → checks (bits, size limit, frame index)
/// ImageReader → GetBuffer (all frames) → one frame → planar resolved → int[] masked to Bits Stored
/// </code>
/// </summary>
internal static class GdcmDicomReader
{
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
        string path = WriteTemporary(dicom);
        try
        {
            return ReadHeader(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Decodes one frame of in-memory bytes (through a temporary file).</summary>
    public static DicomDecodeResult ReadFrame(ReadOnlySpan<byte> dicom, int frame, DicomDecodeLimits limits)
    {
        string path = WriteTemporary(dicom);
        try
        {
            return ReadFrame(path, frame, limits);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string WriteTemporary(ReadOnlySpan<byte> dicom)
    {
        string path = Path.Combine(Path.GetTempPath(), $"medserve-dicom-{Guid.NewGuid():N}.dcm");
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        stream.Write(dicom);
        return path;
    }
}
