using System.Text.Json;
using MedServe.Dicom.Gdcm;

namespace MedServe.Dicom.Worker;

/// <summary>
/// The decoder worker's loop: one request in, one response out, until the parent closes stdin.
/// GDCM reads files, so each request's bytes go to this process's own temporary file.
/// </summary>
internal static class DicomWorkerHost
{
    public static int Run(Stream input, Stream output)
    {
        string path = Path.Combine(Path.GetTempPath(), $"medserve-dicom-worker-{Environment.ProcessId}.dcm");
        try
        {
            while (ProtocolRead(input) is { } request)
            {
                File.WriteAllBytes(path, request.Dicom.ToArray());
                WorkerProtocol.WriteResponse(output, Handle(request, path));
            }

            return 0;
        }
        catch (InvalidDataException)
        {
            return 2;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static WorkerRequest? ProtocolRead(Stream input)
    {
        try
        {
            return WorkerProtocol.ReadRequest(input);
        }
        catch (EndOfStreamException)
        {
            return null;
        }
    }

    private static WorkerResponse Handle(WorkerRequest request, string path)
    {
        try
        {
            if (request.Operation == WorkerOperation.ReadHeader)
            {
                DicomHeaderResult header = GdcmDicomReader.ReadHeader(path);
                return header.IsSuccess
                    ? new WorkerResponse(true, JsonSerializer.Serialize(header.Header, DicomWorkerJsonContext.Default.DicomHeader), "", [])
                    : Refusal(header.Error);
            }

            DicomDecodeResult result = GdcmDicomReader.ReadFrame(path, request.Frame, new DicomDecodeLimits { MaxPixels = request.MaxPixels });
            return result.IsSuccess
                ? new WorkerResponse(true, JsonSerializer.Serialize(result.Frame.Image, DicomWorkerJsonContext.Default.DicomImage), result.Frame.SamplesPhotometric, result.Frame.Samples)
                : Refusal(result.Error);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Managed failures inside the binding (e.g. a malformed value) are the file's fault.
            return Refusal("the DICOM decoder could not read this file");
        }
    }

    private static WorkerResponse Refusal(string message) => new(false, message, "", []);
}
