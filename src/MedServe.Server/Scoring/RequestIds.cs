using MedServe.Contracts;
using Microsoft.AspNetCore.Http;

namespace MedServe.Server.Scoring;

/// <summary>
/// Request ids on every response: the caller's <c>x-request-id</c> is echoed when it is a sane string
/// of at most 100 characters, else a new GUID; <c>x-ms-client-request-id</c> is echoed likewise.
/// </summary>
internal static class RequestIds
{
    public const int MaxLength = 100;
    private const string ItemKey = "medserve.request-id";

    /// <summary>Assigns the request id and writes the id headers; runs first for every request.</summary>
    public static string Assign(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        string? callerId = request.Headers[WireHeaders.RequestId];
        string requestId = IsSane(callerId) ? callerId! : NewId();
        string? clientId = request.Headers[WireHeaders.ClientRequestId];
        response.Headers[WireHeaders.RequestId] = requestId;
        response.Headers[WireHeaders.MsRequestId] = requestId;
        response.Headers[WireHeaders.ClientRequestId] = IsSane(clientId) ? clientId : requestId;
        context.Items[ItemKey] = requestId;
        return requestId;
    }

    /// <summary>The id <see cref="Assign"/> gave this request.</summary>
    public static string Current(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var id) && id is string value ? value : Assign(context);

    public static bool IsSane(string? value) =>
        !string.IsNullOrEmpty(value)
        && value.Length <= MaxLength
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');

    public static string NewId() => Guid.NewGuid().ToString();
}
