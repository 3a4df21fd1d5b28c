namespace MedServe.Models.Scoring;

/// <summary>What a model answers for one request: a JSON body with a status, and the model time.</summary>
public sealed record ScoringResult
{
    /// <summary>The HTTP status code: 200, or a 4xx for bad input.</summary>
    public required int StatusCode { get; init; }

    /// <summary>The response body (a JSON array on success, <c>{"message"}</c> otherwise).</summary>
    public required byte[] Body { get; init; }

    /// <summary>Time spent in pre-processing, graphs and post-processing.</summary>
    public TimeSpan ModelTime { get; init; }

    /// <summary>A successful result.</summary>
    public static ScoringResult Ok(byte[] body, TimeSpan modelTime) => new() { StatusCode = 200, Body = body, ModelTime = modelTime };

    /// <summary>A 400 (or other 4xx) with a client-safe message.</summary>
    public static ScoringResult Error(int statusCode, string message) =>
        new() { StatusCode = statusCode, Body = ErrorBody.Serialize(message) };
}
