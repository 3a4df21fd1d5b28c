using Microsoft.ML.OnnxRuntime;
using MedServe.Inference.Runtime;

namespace MedServe.Inference.Packages;

/// <summary>A verified model package: its manifest and one ONNX Runtime session per graph.</summary>
public sealed class ModelPackage : IDisposable
{
    private readonly Dictionary<string, InferenceSession> _sessions;

    private ModelPackage(string directory, PackageManifest manifest, Dictionary<string, InferenceSession> sessions)
    {
        Directory = directory;
        Manifest = manifest;
        _sessions = sessions;
    }

    /// <summary>The package folder (full path).</summary>
    public string Directory { get; }

    /// <summary>The verified manifest.</summary>
    public PackageManifest Manifest { get; }

    /// <summary>
    /// Loads a package, verifying every checksum and graph signature; throws
    /// <see cref="ModelPackageException"/> naming each file and mismatch otherwise.
    /// </summary>
    public static ModelPackage Load(string directory, OrtSessionFactory? sessionFactory = null)
    {
        string full = Path.GetFullPath(directory);
        var (manifest, sessions) = PackageValidator.Load(full, sessionFactory ?? new OrtSessionFactory());
        return new ModelPackage(full, manifest, sessions);
    }

    /// <summary>The session of a graph role; throws when the manifest has no such graph.</summary>
    public InferenceSession Session(string role) =>
        _sessions.TryGetValue(role, out var session)
            ? session
            : throw new ModelPackageException(Directory, [$"{PackageManifest.FileName}: the package has no '{role}' graph"]);

    /// <summary>True when the manifest declares a graph role.</summary>
    public bool HasGraph(string role) => _sessions.ContainsKey(role);

    /// <summary>Full path of a package file named by the manifest.</summary>
    public string PathOf(string relative) => Path.Combine(Directory, relative);

    /// <summary>Requires a constant from the manifest.</summary>
    public double Constant(string name) =>
        Manifest.Constants.TryGetValue(name, out double value)
            ? value
            : throw new ModelPackageException(Directory, [$"{PackageManifest.FileName}: constants.{name} is missing"]);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var session in _sessions.Values)
        {
            session.Dispose();
        }

        _sessions.Clear();
    }
}
