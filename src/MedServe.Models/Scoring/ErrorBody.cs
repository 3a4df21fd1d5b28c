using System.Text.Json;
using MedServe.Contracts;

namespace MedServe.Models.Scoring;

/// <summary>Serialises <c>{"message": "..."}</c> error bodies.</summary>
public static class ErrorBody
{
    /// <summary>The UTF-8 JSON bytes of an error body.</summary>
    public static byte[] Serialize(string message) =>
        JsonSerializer.SerializeToUtf8Bytes(new ErrorResponse(message), ContractsJsonContext.Default.ErrorResponse);
}
