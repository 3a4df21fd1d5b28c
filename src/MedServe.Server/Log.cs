using Microsoft.Extensions.Logging;

namespace MedServe.Server;

/// <summary>
/// Every log line of the server, with stable event ids. Nothing here takes request content, keys,
/// pixels, prompt text or DICOM tags: only names, counts, codes and timings. The one exception is
/// <see cref="ModelFailureDetail"/>, Debug level only.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Endpoint {Endpoint} serves {Task} package version {Version} as deployment {Deployment}")]
    public static partial void EndpointLoaded(ILogger logger, string endpoint, string task, string version, string deployment);

    [LoggerMessage(2, LogLevel.Warning, "Endpoint {Endpoint} serves SYNTHETIC demo weights: its outputs are deterministic test values, not model predictions")]
    public static partial void SyntheticModel(ILogger logger, string endpoint);

    [LoggerMessage(3, LogLevel.Debug, "Scored {Rows} rows on {Endpoint}/{Deployment}: {Status} in {ModelMs:F1} ms (request {RequestId})")]
    public static partial void Scored(ILogger logger, int rows, string endpoint, string deployment, int status, double modelMs, string requestId);

    [LoggerMessage(4, LogLevel.Information, "Refused request {RequestId} on {Endpoint}: {Status}")]
    public static partial void Refused(ILogger logger, string requestId, string endpoint, int status);

    [LoggerMessage(5, LogLevel.Warning, "Authentication failed for request {RequestId}")]
    public static partial void AuthenticationFailed(ILogger logger, string requestId);

    // The exception's message is left out on purpose: it may quote request content. Type and stack
    // trace locate the fault.
    [LoggerMessage(6, LogLevel.Error, "Scoring failed unexpectedly for request {RequestId} on {Endpoint}: {ExceptionType}\n{StackTrace}")]
    public static partial void ScoringFailed(ILogger logger, string requestId, string endpoint, string exceptionType, string stackTrace);

    [LoggerMessage(7, LogLevel.Information, "State restored from {Store}: {Endpoints} endpoints, {Deployments} stored deployments")]
    public static partial void StateRestored(ILogger logger, string store, int endpoints, int deployments);

    [LoggerMessage(8, LogLevel.Information, "Endpoint {Endpoint} {Change}")]
    public static partial void EndpointChanged(ILogger logger, string endpoint, string change);

    [LoggerMessage(9, LogLevel.Information, "Deployment {Endpoint}/{Deployment} {Change}")]
    public static partial void DeploymentChanged(ILogger logger, string endpoint, string deployment, string change);

    [LoggerMessage(10, LogLevel.Information, "Deployment {Endpoint}/{Deployment} loading {Instances} instance(s)")]
    public static partial void DeploymentLoading(ILogger logger, string endpoint, string deployment, int instances);

    [LoggerMessage(11, LogLevel.Information, "Deployment {Endpoint}/{Deployment} ready after {Milliseconds:F0} ms (load and warm-up)")]
    public static partial void DeploymentReady(ILogger logger, string endpoint, string deployment, double milliseconds);

    // The reason names package files and checks, never request content.
    [LoggerMessage(12, LogLevel.Error, "Deployment {Endpoint}/{Deployment} failed: {Reason}")]
    public static partial void DeploymentFailed(ILogger logger, string endpoint, string deployment, string reason);

    [LoggerMessage(13, LogLevel.Warning, "Request {RequestId} on {Endpoint}/{Deployment} timed out after {TimeoutMs} ms; its work was cancelled")]
    public static partial void TimedOut(ILogger logger, string requestId, string endpoint, string deployment, int timeoutMs);

    [LoggerMessage(14, LogLevel.Warning, "Mirrored request {RequestId} to {Endpoint}/{Deployment} failed: {ExceptionType}")]
    public static partial void MirrorFailed(ILogger logger, string requestId, string endpoint, string deployment, string exceptionType);

    [LoggerMessage(15, LogLevel.Error, "Writing {Count} audit records failed: {ExceptionType}")]
    public static partial void AuditWriteFailed(ILogger logger, int count, string exceptionType);

    [LoggerMessage(16, LogLevel.Warning, "Management request {RequestId} refused: {Status}")]
    public static partial void ManagementRefused(ILogger logger, string requestId, int status);

    [LoggerMessage(17, LogLevel.Warning, "Model failed for request {RequestId} on {Endpoint}: {ModelStatus} {Reason}")]
    public static partial void ModelFailed(ILogger logger, string requestId, string endpoint, int modelStatus, string reason);

    // The one place model output is logged: Debug level, which the default level (Information) drops,
    // because generated findings are patient content. Enable it only to diagnose a model package.
    [LoggerMessage(18, LogLevel.Debug, "Model output of failed request {RequestId}: {ModelOutput}")]
    public static partial void ModelFailureDetail(ILogger logger, string requestId, string modelOutput);

    [LoggerMessage(19, LogLevel.Debug, "Request {RequestId} had a {BodyBytes}-byte body: full collection after it, GC pause {PauseMs:F1} ms")]
    public static partial void CollectedAfterLargeRequest(ILogger logger, string requestId, int bodyBytes, double pauseMs);
}
