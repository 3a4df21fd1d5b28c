namespace MedServe.Testing;

/// <summary>
/// Locates the workplace's read-only test data (<c>../shared/testdata</c> beside the clone).
/// A user's clone has no such folder; tests that need it skip with <see cref="MissingReason"/>.
/// </summary>
internal static class SharedTestData
{
    private static readonly Lazy<string?> Root = new(FindRoot);

    /// <summary>The <c>shared/testdata</c> folder, or <c>null</c> when it is not present.</summary>
    public static string? Directory => Root.Value;

    /// <summary>The reason to give when skipping a test that needs the shared data.</summary>
    public const string MissingReason =
        "needs ../shared/testdata beside the clone (workplace test data, not shipped with the repository)";

    /// <summary>Full path of a file below <c>shared/testdata</c>, or <c>null</c> when absent.</summary>
    public static string? File(string relativePath)
    {
        if (Directory is null)
        {
            return null;
        }

        string path = Path.Combine(Directory, relativePath);
        return System.IO.File.Exists(path) ? path : null;
    }

    private static string? FindRoot()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("MEDSERVE_SHARED_TESTDATA");
        if (!string.IsNullOrEmpty(fromEnvironment) && System.IO.Directory.Exists(fromEnvironment))
        {
            return fromEnvironment;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "testdata");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
