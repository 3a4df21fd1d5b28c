using System.Text.Json.Serialization;

namespace MedServe.Contracts;

/// <summary>
/// One row of a CXRReportGen response: <c>{"output": "..."}</c>, where the string is itself JSON, a
/// list of <c>[finding sentence, null | [[x_min, y_min, x_max, y_max], …]]</c> with coordinates in 0..1.
/// </summary>
public sealed record CxrReportGenResult
{
    /// <summary>The findings, serialised as a JSON string exactly as the hosted endpoint does.</summary>
    [JsonPropertyName("output")]
    public required string Output { get; init; }
}
