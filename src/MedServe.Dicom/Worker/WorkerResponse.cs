namespace MedServe.Dicom.Worker;

/// <summary>
/// One answer from the decoder worker: on success <paramref name="Text"/> is the JSON of the header
/// (a <see cref="DicomImage"/> for a frame, a <see cref="DicomHeader"/> for a header read), else the refusal.
/// </summary>
internal sealed record WorkerResponse(bool Succeeded, string Text, string SamplesPhotometric, int[] Samples);
