namespace MedServe.Server.Deployments;

/// <summary>What a management operation answers: a status with a value, or a status with a client-safe message.</summary>
internal readonly record struct Outcome<T>(int Status, T? Value, string? Error)
{
    public static Outcome<T> Ok(T value, int status = 200) => new(status, value, null);

    public static Outcome<T> Fail(int status, string message) => new(status, default, message);
}
