using System.Text.Json.Serialization;

namespace MedServe.Contracts;

/// <summary>
/// Source-generated JSON metadata for every wire type. Every <c>float[]</c> (embeddings) goes through
/// <see cref="Float32ArrayJsonConverter"/>: the same bytes as the default, at a third of the CPU.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = false, Converters = [typeof(Float32ArrayJsonConverter)])]
[JsonSerializable(typeof(CxrReportGenResult))]
[JsonSerializable(typeof(CxrReportGenResult[]))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(MedImageInsightResult))]
[JsonSerializable(typeof(MedImageInsightResult[]))]
[JsonSerializable(typeof(MedImageParseResult))]
[JsonSerializable(typeof(MedImageParseResult[]))]
[JsonSerializable(typeof(ScoringRequest))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
