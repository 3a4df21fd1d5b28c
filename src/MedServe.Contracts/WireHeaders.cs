namespace MedServe.Contracts;

/// <summary>The HTTP header names of the hosted scoring protocol, plus MedServe's own.</summary>
public static class WireHeaders
{
    /// <summary>Request: pins a deployment. Response: the deployment that served the request.</summary>
    public const string ModelDeployment = "azureml-model-deployment";

    /// <summary>The request id, echoed when the caller's value is sane, else a new GUID.</summary>
    public const string RequestId = "x-request-id";

    /// <summary>The server's own id for the request.</summary>
    public const string MsRequestId = "x-ms-request-id";

    /// <summary>The caller's client request id, echoed.</summary>
    public const string ClientRequestId = "x-ms-client-request-id";

    /// <summary><c>True</c> when the scoring function failed, else <c>False</c>.</summary>
    public const string RunFunctionFailed = "x-ms-run-function-failed";

    /// <summary>Model execution time in milliseconds, formatted <c>%.3f</c>.</summary>
    public const string RunFunctionExecMs = "x-ms-run-fn-exec-ms";

    /// <summary>On a 424: the model's own status code.</summary>
    public const string ModelErrorStatusCode = "ms-azureml-model-error-statuscode";

    /// <summary>On a 424: why the model failed.</summary>
    public const string ModelErrorReason = "ms-azureml-model-error-reason";

    /// <summary>MedServe: present (value <c>true</c>) when the serving package is synthetic (demo) weights.</summary>
    public const string SyntheticModel = "x-medserve-synthetic-model";
}
