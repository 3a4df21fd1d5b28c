namespace MedServe.Server.Scoring;

/// <summary>Request id rules: a caller's id is echoed when it is a sane string of at most 100 characters.</summary>
internal static class RequestIds
{
    public const int MaxLength = 100;

    public static bool IsSane(string? value) =>
        !string.IsNullOrEmpty(value)
        && value.Length <= MaxLength
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');

    public static string NewId() => Guid.NewGuid().ToString();
}
