using System.Text.Encodings.Web;
using System.Text.Json;
using MedServe.Contracts;

namespace MedServe.Models.Scoring;

/// <summary>Serialises <c>{"message": "..."}</c> error bodies.</summary>
public static class ErrorBody
{
    // Bodies are application/json, never HTML, so quotes and angle brackets stay readable
    // ("Bearer <key>") instead of \u0027 and \u003C escapes.
    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = ContractsJsonContext.Default,
    };

    /// <summary>The UTF-8 JSON bytes of an error body.</summary>
    public static byte[] Serialize(string message) =>
        JsonSerializer.SerializeToUtf8Bytes(new ErrorResponse(message), Options.GetTypeInfo(typeof(ErrorResponse)));
}
