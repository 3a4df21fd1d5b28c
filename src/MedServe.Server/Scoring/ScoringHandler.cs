using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using MedServe.Contracts;
using MedServe.Models.Buffers;
using MedServe.Models.Scoring;
using MedServe.Server.Deployments;
using MedServe.Server.Hosting;
using MedServe.Server.Management;
using MedServe.Server.Observability;
using MedServe.Server.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace MedServe.Server.Scoring;

/// <summary>
/// One scoring request, as the hosted inference server answers it:
/// <code>
/// ids/headers ─► endpoint (404) ─► auth by auth_mode (401) ─► deployment: pin header, else traffic split (404)
///             ─► loaded? (503) ─► in flight ≤ 2 × max_concurrent × instances (429) ─► content type (415)
///             ─► body limit (413) ─► envelope (400) ─► mirror copy (background) ─► wait for an instance
///             ─► model (200 / 4xx / 424 + model-error headers), all under request_timeout_ms (408, work cancelled)
///             ─► headers: deployment, exec ms, failed flag ─► metrics, trace, audit record (queued)
/// </code>
/// Unexpected failures become 500 with <c>x-ms-run-function-failed: True</c>; the process keeps serving.
/// </summary>
internal sealed class ScoringHandler(
    EndpointRegistry registry,
    EndpointAuthenticator authenticator,
    ServerOptions options,
    ServerMetrics metrics,
    AuditLog audit,
    TimeProvider time,
    RequestBufferPool bodies,
    ILogger<ScoringHandler> logger)
{
    // Bodies from this size on are followed by a full collection (CollectAfterLargeRequest).
    private const int LargeBodyBytes = 32 << 20;

    // Random.Shared is thread-safe; requests draw from it concurrently.
    private readonly Random _random = Random.Shared;

    public async Task HandleAsync(HttpContext context, string? endpointName)
    {
        var call = new Call { RequestId = RequestIds.Current(context), Arrived = time.GetUtcNow(), Started = Stopwatch.GetTimestamp() };
        context.Response.Headers[WireHeaders.RunFunctionFailed] = "False";
        using var activity = ServerTracing.Source.StartActivity("score", ActivityKind.Server);
        try
        {
            await ScoreAsync(context, endpointName, call).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            call.Reason = "client_closed";
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await RefuseAsync(context, call, StatusCodes.Status413PayloadTooLarge, "too_large", TooLarge()).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A scoring failure must never take the server down; it becomes a 500.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ScoringFailed(logger, call.RequestId, call.Endpoint?.Name ?? "?", ex.GetType().FullName ?? ex.GetType().Name, ex.StackTrace ?? "");
            call.Reason = "server_error";
            if (!context.Response.HasStarted)
            {
                context.Response.Headers[WireHeaders.RunFunctionFailed] = "True";
                await WriteAsync(context, call, StatusCodes.Status500InternalServerError,
                    ErrorBody.Serialize($"the server failed to score the request (request id {call.RequestId}); see the server log")).ConfigureAwait(false);
            }
        }
        finally
        {
            Finish(context, endpointName, call, activity);
            if (call.BodyBytes >= LargeBodyBytes)
            {
                CollectAfterLargeRequest(call);
            }
        }
    }

    /// <summary>
    /// A full blocking collection once a request with a large body is done (its response sent). Its body and
    /// image cells are pooled buffers, but the decoded full-size pixels are a fresh array per request, and the
    /// GC's budget does not know they die with the request: without this, each further large request added
    /// its pixels to the peak (docs/architecture.md, "Memory of large requests").
    /// </summary>
    private void CollectAfterLargeRequest(Call call)
    {
        TimeSpan paused = GC.GetTotalPauseDuration();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        Log.CollectedAfterLargeRequest(logger, call.RequestId, call.BodyBytes, (GC.GetTotalPauseDuration() - paused).TotalMilliseconds);
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

    private async Task ScoreAsync(HttpContext context, string? endpointName, Call call)
    {
        var request = context.Request;
        var response = context.Response;
        string? name = endpointName ?? registry.DefaultName;
        if (name is null || !registry.TryGet(name, out var endpoint))
        {
            if (!authenticator.IsKnownCaller(request.Headers.Authorization, out string why))
            {
                Log.AuthenticationFailed(logger, call.RequestId);
                await RefuseAsync(context, call, StatusCodes.Status401Unauthorized, "unauthorized", why).ConfigureAwait(false);
                return;
            }

            string message = name is null
                ? "this server has no default endpoint for /score; call /endpoints/{name}/score"
                : $"no endpoint named '{ScoringFrameParser.Truncate(name)}'; this server has: {string.Join(", ", registry.Names)}";
            await RefuseAsync(context, call, StatusCodes.Status404NotFound, "not_found", message).ConfigureAwait(false);
            return;
        }

        call.Endpoint = endpoint;
        var auth = await authenticator.AuthenticateAsync(endpoint, request.Headers.Authorization).ConfigureAwait(false);
        if (!auth.Ok)
        {
            Log.AuthenticationFailed(logger, call.RequestId);
            call.Caller = "unauthenticated";
            await RefuseAsync(context, call, StatusCodes.Status401Unauthorized, "unauthorized", auth.Reason).ConfigureAwait(false);
            return;
        }

        call.Caller = auth.Caller;
        var spec = endpoint.Spec;
        var deployments = endpoint.Deployments;
        string? pinned = request.Headers[WireHeaders.ModelDeployment];
        LiveDeployment? chosen;
        if (!string.IsNullOrEmpty(pinned))
        {
            if (!deployments.TryGetValue(pinned, out chosen))
            {
                await RefuseAsync(context, call, StatusCodes.Status404NotFound, "not_found",
                    $"endpoint '{endpoint.Name}' has no deployment named '{ScoringFrameParser.Truncate(pinned)}'; its deployments are: {string.Join(", ", deployments.Keys.Order(StringComparer.Ordinal))}").ConfigureAwait(false);
                return;
            }
        }
        else if (TrafficRouter.Pick(spec.Traffic, _random) is not string picked || !deployments.TryGetValue(picked, out chosen))
        {
            await RefuseAsync(context, call, StatusCodes.Status404NotFound, "no_traffic",
                $"endpoint '{endpoint.Name}' has no deployment with positive traffic; set traffic with 'endpoint update', or pin one with the {WireHeaders.ModelDeployment} header").ConfigureAwait(false);
            return;
        }

        var deployment = chosen.Current;
        call.Deployment = deployment;
        response.Headers[WireHeaders.ModelDeployment] = deployment.Spec.Name;
        if (deployment.State is DeploymentState.Loading or DeploymentState.Failed || deployment.IsRetired)
        {
            await RefuseAsync(context, call, StatusCodes.Status503ServiceUnavailable, "not_ready", NotReady(endpoint, deployment)).ConfigureAwait(false);
            return;
        }

        if (deployment.Descriptor!.Synthetic)
        {
            response.Headers[WireHeaders.SyntheticModel] = "true";
        }

        if (!deployment.TryEnter())
        {
            if (deployment.IsRetired)
            {
                // Replaced or deleted between the lookup and the admission.
                await RefuseAsync(context, call, StatusCodes.Status503ServiceUnavailable, "not_ready", NotReady(endpoint, deployment)).ConfigureAwait(false);
                return;
            }

            var settings = deployment.Spec.RequestSettings;
            await RefuseAsync(context, call, StatusCodes.Status429TooManyRequests, "throttled",
                string.Create(CultureInfo.InvariantCulture, $"deployment '{deployment.Spec.Name}' has {deployment.InFlightLimit} requests in flight, its limit (2 × max_concurrent_requests_per_instance {settings.MaxConcurrentRequestsPerInstance} × instance_count {deployment.Spec.InstanceCount}); retry later")).ConfigureAwait(false);
            return;
        }

        metrics.InFlight(endpoint.Name, deployment.Spec.Name, 1);
        try
        {
            await RunAsync(context, call, endpoint, deployment).ConfigureAwait(false);
        }
        finally
        {
            metrics.InFlight(endpoint.Name, deployment.Spec.Name, -1);
            deployment.Exit();
        }
    }

    private async Task RunAsync(HttpContext context, Call call, LiveEndpoint endpoint, LiveDeployment deployment)
    {
        var request = context.Request;
        string endpointName = endpoint.Name;
        string deploymentName = deployment.Spec.Name;
        int timeoutMs = deployment.Spec.RequestSettings.RequestTimeoutMs;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(timeoutMs), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, timeout.Token);
        try
        {
            if (!IsJson(request.ContentType))
            {
                await RefuseAsync(context, call, StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type",
                    "the request content type must be application/json").ConfigureAwait(false);
                return;
            }

            long phase = Stopwatch.GetTimestamp();
            // Borrowed from the pool: disposed (given back, zeroed) after the frame that reads it.
            using var body = await BodyReader.ReadAsync(request, options.MaxRequestBodyBytes, bodies, linked.Token).ConfigureAwait(false);
            if (body is null)
            {
                await RefuseAsync(context, call, StatusCodes.Status413PayloadTooLarge, "too_large", TooLarge()).ConfigureAwait(false);
                return;
            }

            call.BodyBytes = body.Length;
            call.RequestSha256 = Convert.ToHexStringLower(SHA256.HashData(body.Span));
            using var frame = ScoringFrameParser.TryParse(body.Memory, out string parseError);
            metrics.Preprocess(endpointName, deploymentName, Stopwatch.GetElapsedTime(phase));
            if (frame is null)
            {
                await RefuseAsync(context, call, StatusCodes.Status400BadRequest, "bad_request", parseError).ConfigureAwait(false);
                return;
            }

            call.Rows = frame.RowCount;
            metrics.Rows(endpointName, deploymentName, frame.RowCount);
            if (TrafficRouter.Mirror(endpoint.Spec.MirrorTraffic, _random) is string mirror
                && endpoint.Deployments.TryGetValue(mirror, out var shadow) && mirror != deploymentName)
            {
                // Fire and forget: the copy has its own time limit and never touches this response. It outlives
                // this request, so it gets its own array, not the pooled body.
                byte[] copy = body.Span.ToArray();
                _ = Task.Run(() => MirrorAsync(endpointName, shadow.Current, copy, call.RequestId));
            }

            phase = Stopwatch.GetTimestamp();
            int instance = await deployment.AcquireAsync(linked.Token).ConfigureAwait(false);
            metrics.Queue(endpointName, deploymentName, Stopwatch.GetElapsedTime(phase));
            ScoringResult result;
            try
            {
                phase = Stopwatch.GetTimestamp();
                result = await deployment.Model(instance).ScoreAsync(frame, linked.Token).ConfigureAwait(false);
                metrics.Inference(endpointName, deploymentName, Stopwatch.GetElapsedTime(phase));
            }
            finally
            {
                deployment.Release(instance);
            }

            // A model may finish its last step after the deadline; the answer is still a timeout.
            timeout.Token.ThrowIfCancellationRequested();
            context.Response.Headers[WireHeaders.RunFunctionExecMs] = result.ModelTime.TotalMilliseconds.ToString("F3", CultureInfo.InvariantCulture);
            Log.Scored(logger, frame.RowCount, endpointName, deploymentName, result.StatusCode, result.ModelTime.TotalMilliseconds, call.RequestId);
            call.Reason = result.StatusCode == 200 ? "ok" : result.ModelError is null ? "model_refused" : "model_error";
            if (result.ModelError is { } modelError)
            {
                WriteModelError(context.Response, modelError, call.RequestId, endpointName);
            }

            phase = Stopwatch.GetTimestamp();
            await WriteAsync(context, call, result.StatusCode, result.Body).ConfigureAwait(false);
            metrics.Postprocess(endpointName, deploymentName, Stopwatch.GetElapsedTime(phase));
        }
#pragma warning disable CA1031 // Past the deadline, whatever the model threw (ONNX Runtime reports a terminated run as its own exception) is the cancellation.
        catch (Exception) when (timeout.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
#pragma warning restore CA1031
        {
            Log.TimedOut(logger, call.RequestId, endpointName, deploymentName, timeoutMs);
            await RefuseAsync(context, call, StatusCodes.Status408RequestTimeout, "timeout",
                string.Create(CultureInfo.InvariantCulture, $"the request ran longer than deployment '{deploymentName}''s request_timeout_ms ({timeoutMs} ms); its work was cancelled")).ConfigureAwait(false);
        }
    }

    private async Task MirrorAsync(string endpointName, LiveDeployment shadow, byte[] body, string requestId)
    {
        string deploymentName = shadow.Spec.Name;
        if (shadow.State is not (DeploymentState.Serving or DeploymentState.Ready) || !shadow.TryEnter())
        {
            metrics.Request(endpointName, deploymentName, StatusCodes.Status429TooManyRequests, "mirror_skipped");
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(shadow.Spec.RequestSettings.RequestTimeoutMs), time);
            using var frame = ScoringFrameParser.TryParse(body, out _);
            if (frame is null)
            {
                return;
            }

            int instance = await shadow.AcquireAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                var result = await shadow.Model(instance).ScoreAsync(frame, timeout.Token).ConfigureAwait(false);
                metrics.Request(endpointName, deploymentName, result.StatusCode, "mirror");
            }
            finally
            {
                shadow.Release(instance);
            }
        }
        catch (OperationCanceledException)
        {
            metrics.Request(endpointName, deploymentName, StatusCodes.Status408RequestTimeout, "mirror");
        }
#pragma warning disable CA1031 // A failing shadow deployment must never affect the live one.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.MirrorFailed(logger, requestId, endpointName, deploymentName, ex.GetType().FullName ?? ex.GetType().Name);
            metrics.Request(endpointName, deploymentName, StatusCodes.Status500InternalServerError, "mirror");
        }
        finally
        {
            shadow.Exit();
        }
    }

    private void Finish(HttpContext context, string? endpointName, Call call, Activity? activity)
    {
        int status = context.Response.StatusCode;
        string endpoint = call.Endpoint?.Name ?? "";
        string deployment = call.Deployment?.Spec.Name ?? "";
        metrics.Request(endpoint, deployment, status, call.Reason);
        activity?.SetTag("medserve.endpoint", endpoint);
        activity?.SetTag("medserve.deployment", deployment);
        activity?.SetTag("http.response.status_code", status);
        activity?.SetTag("medserve.rows", call.Rows);
        activity?.SetTag("medserve.request_id", call.RequestId);
        if (status is >= 400 and not 500)
        {
            Log.Refused(logger, call.RequestId, call.Endpoint?.Name ?? ScoringFrameParser.Truncate(endpointName ?? registry.DefaultName ?? "?"), status);
        }

        if (call.Endpoint is null)
        {
            return;
        }

        var descriptor = call.Deployment?.Descriptor;
        audit.Write(new AuditRecord
        {
            TimeUtc = call.Arrived,
            RequestId = call.RequestId,
            Endpoint = endpoint,
            Deployment = deployment,
            ModelName = descriptor?.Name ?? "",
            ModelVersion = descriptor?.Version ?? "",
            PackageSha256 = call.Deployment?.PackageSha256 ?? "",
            Caller = call.Caller,
            Rows = call.Rows,
            Status = status,
            LatencyMs = Stopwatch.GetElapsedTime(call.Started).TotalMilliseconds,
            RequestSha256 = call.RequestSha256,
            ResponseSha256 = call.ResponseSha256,
        });
    }

    private static string NotReady(LiveEndpoint endpoint, LiveDeployment deployment) => deployment switch
    {
        { IsRetired: true } => $"deployment '{deployment.Spec.Name}' of endpoint '{endpoint.Name}' was just replaced or deleted; retry",
        { State: DeploymentState.Failed } => $"deployment '{deployment.Spec.Name}' of endpoint '{endpoint.Name}' failed to load; 'medserve deployment show' says why",
        _ => $"deployment '{deployment.Spec.Name}' of endpoint '{endpoint.Name}' is not ready yet (its model is loading)",
    };

    private string TooLarge() =>
        $"the request body is larger than the limit of {options.MaxRequestBodyBytes.ToString(CultureInfo.InvariantCulture)} bytes";

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && (string.Equals(parsed.MediaType.Value, "application/json", StringComparison.OrdinalIgnoreCase)
            || (parsed.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) ?? false));

    private static Task RefuseAsync(HttpContext context, Call call, int statusCode, string reason, string message)
    {
        call.Reason = reason;
        return WriteAsync(context, call, statusCode, ErrorBody.Serialize(message));
    }

    internal static Task WriteErrorAsync(HttpContext context, int statusCode, string message) =>
        WriteBodyAsync(context, statusCode, ErrorBody.Serialize(message));

    private static Task WriteAsync(HttpContext context, Call call, int statusCode, byte[] body)
    {
        call.ResponseSha256 = Convert.ToHexStringLower(SHA256.HashData(body));
        return WriteBodyAsync(context, statusCode, body);
    }

    private static async Task WriteBodyAsync(HttpContext context, int statusCode, byte[] body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>What the audit record and metrics of one request collect as it goes.</summary>
    private sealed class Call
    {
        public required string RequestId { get; init; }

        public required DateTimeOffset Arrived { get; init; }

        public required long Started { get; init; }

        public LiveEndpoint? Endpoint { get; set; }

        public LiveDeployment? Deployment { get; set; }

        public string Caller { get; set; } = "anonymous";

        public int Rows { get; set; }

        public int BodyBytes { get; set; }

        public string Reason { get; set; } = "ok";

        public string RequestSha256 { get; set; } = "";

        public string ResponseSha256 { get; set; } = "";
    }
}
