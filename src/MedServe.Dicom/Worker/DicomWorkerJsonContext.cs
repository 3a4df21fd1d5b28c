using System.Text.Json.Serialization;

namespace MedServe.Dicom.Worker;

/// <summary>Serialises the header facts between the decoder worker and its parent.</summary>
[JsonSerializable(typeof(DicomImage))]
[JsonSerializable(typeof(DicomHeader))]
internal sealed partial class DicomWorkerJsonContext : JsonSerializerContext;
