namespace MedServe.Dicom.Worker;

/// <summary>One request to the decoder worker.</summary>
internal sealed record WorkerRequest(WorkerOperation Operation, int Frame, long MaxPixels, ReadOnlyMemory<byte> Dicom);
