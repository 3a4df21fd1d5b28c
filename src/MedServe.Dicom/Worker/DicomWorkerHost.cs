using System.Text.Json;
using MedServe.Dicom.Gdcm;

namespace MedServe.Dicom.Worker;

/// <summary>
/// The decoder worker's loop: one request in, one response out, until the parent closes stdin.
/// GDCM reads files; <see cref="GdcmDicomReader"/> writes each request's bytes to a temporary file.
/// </summary>
internal static class DicomWorkerHost
{
    public static int Run(Stream input, Stream output)
    {
        try
        {
            while (ProtocolRead(input) is { } request)
            {
                WorkerProtocol.WriteResponse(output, Handle(request));
            }

            return 0;
        }
        catch (InvalidDataException)
        {
            return 2;
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

    private static WorkerResponse Handle(WorkerRequest request)
    {
        try
        {
            if (request.Operation == WorkerOperation.ReadHeader)
            {
                DicomHeaderResult header = GdcmDicomReader.ReadHeader(request.Dicom.Span);
                return header.IsSuccess
                    ? new WorkerResponse(true, JsonSerializer.Serialize(header.Header, DicomWorkerJsonContext.Default.DicomHeader), "", [])
                    : Refusal(header.Error);
            }

            DicomDecodeResult result = GdcmDicomReader.ReadFrame(request.Dicom.Span, request.Frame, new DicomDecodeLimits { MaxPixels = request.MaxPixels });
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
