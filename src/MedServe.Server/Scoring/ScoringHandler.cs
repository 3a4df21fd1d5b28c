using System.Globalization;
using MedServe.Contracts;
using MedServe.Models.Scoring;
using MedServe.Server.Hosting;
using MedServe.Server.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace MedServe.Server.Scoring;

/// <summary>
/// One scoring request, as the hosted inference server answers it:
/// <code>
/// ids/headers ─► auth (401) ─► endpoint + deployment pin (404) ─► content type (415) ─► body limit (413)
///             ─► envelope (400) ─► model (200 / 4xx / 424 + model-error headers) ─► headers: deployment, exec ms, failed flag
/// </code>
/// Unexpected failures become 500 with <c>x-ms-run-function-failed: True</c>; the process keeps serving.
/// </summary>
internal sealed class ScoringHandler(
    EndpointRegistry registry,
    KeyAuthenticator authenticator,
    ServerOptions options,
    ILogger<ScoringHandler> logger)
{
    public async Task HandleAsync(HttpContext context, string? endpointName)
    {
        var request = context.Request;
        var response = context.Response;
        string requestId = RequestIds.Current(context);
        response.Headers[WireHeaders.RunFunctionFailed] = "False";

        ServedEndpoint? endpoint = null;
        try
        {
            if (!authenticator.IsAuthorized(request.Headers.Authorization, out string reason))
            {
                Log.AuthenticationFailed(logger, requestId);
                await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, reason).ConfigureAwait(false);
                return;
            }

            if (endpointName is null)
            {
                endpoint = registry.Default;
            }
            else if (!registry.TryGet(endpointName, out endpoint))
            {
                await WriteErrorAsync(context, StatusCodes.Status404NotFound,
                    $"no endpoint named '{ScoringFrameParser.Truncate(endpointName)}'; this server has: {string.Join(", ", registry.Endpoints.Select(e => e.Name))}").ConfigureAwait(false);
                return;
            }

            string? pinned = request.Headers[WireHeaders.ModelDeployment];
            if (!string.IsNullOrEmpty(pinned) && !string.Equals(pinned, endpoint.DeploymentName, StringComparison.Ordinal))
            {
                await WriteErrorAsync(context, StatusCodes.Status404NotFound,
                    $"endpoint '{endpoint.Name}' has no deployment named '{ScoringFrameParser.Truncate(pinned)}'; its deployments are: {endpoint.DeploymentName}").ConfigureAwait(false);
                return;
            }

            response.Headers[WireHeaders.ModelDeployment] = endpoint.DeploymentName;
            if (endpoint.Model.Descriptor.Synthetic)
            {
                response.Headers[WireHeaders.SyntheticModel] = "true";
            }

            if (!IsJson(request.ContentType))
            {
                await WriteErrorAsync(context, StatusCodes.Status415UnsupportedMediaType,
                    "the request content type must be application/json").ConfigureAwait(false);
                return;
            }

            byte[]? body = await BodyReader.ReadAsync(request, options.MaxRequestBodyBytes, context.RequestAborted).ConfigureAwait(false);
            if (body is null)
            {
                await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge,
                    $"the request body is larger than the limit of {options.MaxRequestBodyBytes.ToString(CultureInfo.InvariantCulture)} bytes").ConfigureAwait(false);
                return;
            }

            using var frame = ScoringFrameParser.TryParse(body, out string parseError);
            if (frame is null)
            {
                await WriteErrorAsync(context, StatusCodes.Status400BadRequest, parseError).ConfigureAwait(false);
                return;
            }

            var result = await endpoint.Model.ScoreAsync(frame, context.RequestAborted).ConfigureAwait(false);
            response.Headers[WireHeaders.RunFunctionExecMs] = result.ModelTime.TotalMilliseconds.ToString("F3", CultureInfo.InvariantCulture);
            Log.Scored(logger, frame.RowCount, endpoint.Name, endpoint.DeploymentName, result.StatusCode, result.ModelTime.TotalMilliseconds, requestId);
            if (result.ModelError is { } modelError)
            {
                WriteModelError(response, modelError, requestId, endpoint.Name);
            }

            await WriteBodyAsync(context, result.StatusCode, result.Body).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; nothing to answer.
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge,
                $"the request body is larger than the limit of {options.MaxRequestBodyBytes.ToString(CultureInfo.InvariantCulture)} bytes").ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A scoring failure must never take the server down; it becomes a 500.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ScoringFailed(logger, requestId, endpoint?.Name ?? "?", ex.GetType().FullName ?? ex.GetType().Name, ex.StackTrace ?? "");
            if (!response.HasStarted)
            {
                response.Headers[WireHeaders.RunFunctionFailed] = "True";
                await WriteErrorAsync(context, StatusCodes.Status500InternalServerError,
                    $"the server failed to score the request (request id {requestId}); see the server log").ConfigureAwait(false);
            }
        }
        finally
        {
            if (response.StatusCode is >= 400 and not 500)
            {
                Log.Refused(logger, requestId, endpoint?.Name ?? endpointName ?? registry.Default.Name, response.StatusCode);
            }
        }
    }

    /// <summary>A 424's headers; the model's detail (may hold patient content) goes only to a Debug field.</summary>
    private void WriteModelError(HttpResponse response, ModelError error, string requestId, string endpointName)
    {
        response.Headers[WireHeaders.RunFunctionFailed] = "True";
        response.Headers[WireHeaders.ModelErrorStatusCode] = error.StatusCode.ToString(CultureInfo.InvariantCulture);
        response.Headers[WireHeaders.ModelErrorReason] = error.Reason;
        Log.ModelFailed(logger, requestId, endpointName, error.StatusCode, error.Reason);
        if (error.Detail is not null)
        {
            Log.ModelFailureDetail(logger, requestId, error.Detail);
        }
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && (string.Equals(parsed.MediaType.Value, "application/json", StringComparison.OrdinalIgnoreCase)
            || (parsed.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) ?? false));

    internal static Task WriteErrorAsync(HttpContext context, int statusCode, string message) =>
        WriteBodyAsync(context, statusCode, ErrorBody.Serialize(message));

    private static async Task WriteBodyAsync(HttpContext context, int statusCode, byte[] body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
