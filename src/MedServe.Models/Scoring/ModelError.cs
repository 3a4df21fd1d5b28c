namespace MedServe.Models.Scoring;

/// <summary>
/// Why a model failed on valid input (for example a generator whose output breaks its grammar). The
/// host answers 424 with <c>ms-azureml-model-error-statuscode</c> and <c>ms-azureml-model-error-reason</c>.
/// </summary>
public sealed record ModelError
{
    /// <summary>The model's own status code, sent in <c>ms-azureml-model-error-statuscode</c>. <value>The default is 500.</value></summary>
    public int StatusCode { get; init; } = 500;

    /// <summary>A client-safe reason (no request content), sent in the header and as the body's message; ASCII only.</summary>
    public required string Reason { get; init; }

    /// <summary>
    /// What the model produced (e.g. the generated text), for diagnosis. It may hold patient content, so
    /// the host writes it only to a Debug-level structured log field and never to the response.
    /// </summary>
    public string? Detail { get; init; }
}
