namespace MedServe.Models.Scoring;

/// <summary>What a model answers for one request: a JSON body with a status, and the model time.</summary>
public sealed record ScoringResult
{
    /// <summary>The HTTP status code: 200, a 4xx for bad input, or 424 for a model error.</summary>
    public required int StatusCode { get; init; }

    /// <summary>The response body (a JSON array on success, <c>{"message"}</c> otherwise).</summary>
    public required byte[] Body { get; init; }

    /// <summary>Time spent in pre-processing, graphs and post-processing.</summary>
    public TimeSpan ModelTime { get; init; }

    /// <summary>Set when the model failed on valid input; the status is then 424.</summary>
    public ModelError? ModelError { get; init; }

    /// <summary>A successful result.</summary>
    public static ScoringResult Ok(byte[] body, TimeSpan modelTime) => new() { StatusCode = 200, Body = body, ModelTime = modelTime };

    /// <summary>A 400 (or other 4xx) with a client-safe message.</summary>
    public static ScoringResult Error(int statusCode, string message) =>
        new() { StatusCode = statusCode, Body = ErrorBody.Serialize(message) };

    /// <summary>A 424: the model failed on valid input; <paramref name="error"/> says why.</summary>
    public static ScoringResult ModelFailure(ModelError error, TimeSpan modelTime)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new() { StatusCode = 424, Body = ErrorBody.Serialize(error.Reason), ModelTime = modelTime, ModelError = error };
    }
}
