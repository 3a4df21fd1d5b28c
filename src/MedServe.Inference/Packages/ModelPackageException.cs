namespace MedServe.Inference.Packages;

/// <summary>A model package was refused: a file is missing or altered, or a graph does not match its manifest.</summary>
public sealed class ModelPackageException : Exception
{
    /// <summary>Creates the exception from the list of problems found.</summary>
    public ModelPackageException(string directory, IReadOnlyList<string> problems)
        : base($"model package '{directory}' was refused: {string.Join("; ", problems)}")
    {
        Directory = directory;
        Problems = problems;
    }

    /// <summary>The package folder.</summary>
    public string Directory { get; }

    /// <summary>Every problem found, each naming the file and what differs.</summary>
    public IReadOnlyList<string> Problems { get; }
}
