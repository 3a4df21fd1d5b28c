using System.Text.Json.Serialization;

namespace MedServe.Contracts;

/// <summary>Source-generated JSON metadata for every wire type.</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(CxrReportGenResult))]
[JsonSerializable(typeof(CxrReportGenResult[]))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(MedImageInsightResult))]
[JsonSerializable(typeof(MedImageInsightResult[]))]
[JsonSerializable(typeof(MedImageParseResult))]
[JsonSerializable(typeof(MedImageParseResult[]))]
[JsonSerializable(typeof(ScoringRequest))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
