using System.Text.Json.Serialization;

namespace MedServe.Contracts;

/// <summary>The body of every error response: <c>{"message": "..."}</c>.</summary>
/// <param name="Message">What went wrong, safe to show to the caller (never patient data).</param>
public sealed record ErrorResponse([property: JsonPropertyName("message")] string Message);
