namespace MedServe.Inference.Packages;

/// <summary>What <see cref="PackageValidator"/> found in a package folder.</summary>
public sealed record PackageCheckReport
{
    /// <summary>The package folder.</summary>
    public required string Directory { get; init; }

    /// <summary>The manifest, when it could be read.</summary>
    public PackageManifest? Manifest { get; init; }

    /// <summary>Each file listed in the manifest and whether its checksum matched.</summary>
    public IReadOnlyList<PackageFileCheck> Files { get; init; } = [];

    /// <summary>Each graph and the signature ONNX Runtime reports for it.</summary>
    public IReadOnlyList<GraphCheck> Graphs { get; init; } = [];

    /// <summary>Every problem found; empty when the package is valid.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>True when no problem was found.</summary>
    public bool IsValid => Problems.Count == 0;
}

/// <summary>The checksum check of one package file.</summary>
/// <param name="Path">The path relative to the package folder.</param>
/// <param name="Bytes">The file size, or -1 when the file is missing.</param>
/// <param name="ChecksumMatches">True when the SHA-256 equals the manifest's.</param>
public sealed record PackageFileCheck(string Path, long Bytes, bool ChecksumMatches);

/// <summary>The signature check of one graph.</summary>
/// <param name="Role">The graph role in the manifest (e.g. <c>image_encoder</c>).</param>
/// <param name="File">The graph file.</param>
/// <param name="Inputs">The inputs as ONNX Runtime reports them.</param>
/// <param name="Outputs">The outputs as ONNX Runtime reports them.</param>
/// <param name="Matches">True when names, element types and shapes equal the manifest's.</param>
public sealed record GraphCheck(string Role, string File, IReadOnlyList<TensorSignature> Inputs,
    IReadOnlyList<TensorSignature> Outputs, bool Matches);
