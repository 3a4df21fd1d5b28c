using System.Security.Cryptography;
using System.Text.Json;
using MedServe.Inference.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace MedServe.Inference.Packages;

/// <summary>
/// Checks a package folder against its manifest:
/// <code>
/// medserve.json ─► parse ─► every listed file: exists, SHA-256 ─► every graph: ONNX Runtime loads it,
///                                                                   names, element types, shapes
/// </code>
/// Every problem names the file and what differs; checking goes on after a problem so one run lists all.
/// </summary>
public static class PackageValidator
{
    /// <summary>Checks the package without keeping any session.</summary>
    public static PackageCheckReport Check(string directory, OrtSessionFactory? sessionFactory = null)
    {
        var (report, sessions) = CheckAndLoad(directory, sessionFactory ?? new OrtSessionFactory(), keepSessions: false);
        foreach (var session in sessions.Values)
        {
            session.Dispose();
        }

        return report;
    }

    /// <summary>
    /// Checks the package and, when it is valid, returns an ONNX Runtime session per graph role.
    /// Throws <see cref="ModelPackageException"/> when any problem is found, and
    /// <see cref="ExecutionProviderUnavailableException"/> before reading anything when the factory's
    /// execution provider is not in this build.
    /// </summary>
    internal static (PackageManifest Manifest, Dictionary<string, InferenceSession> Sessions) Load(
        string directory, OrtSessionFactory sessionFactory)
    {
        sessionFactory.EnsureProviderAvailable();
        var (report, sessions) = CheckAndLoad(directory, sessionFactory, keepSessions: true);
        if (!report.IsValid)
        {
            foreach (var session in sessions.Values)
            {
                session.Dispose();
            }

            throw new ModelPackageException(directory, report.Problems);
        }

        return (report.Manifest!, sessions);
    }

    private static (PackageCheckReport Report, Dictionary<string, InferenceSession> Sessions) CheckAndLoad(
        string directory, OrtSessionFactory sessionFactory, bool keepSessions)
    {
        var problems = new List<string>();
        var sessions = new Dictionary<string, InferenceSession>(StringComparer.Ordinal);
        var manifest = ReadManifest(directory, problems);
        if (manifest is null)
        {
            return (new PackageCheckReport { Directory = directory, Problems = problems }, sessions);
        }

        var files = CheckFiles(directory, manifest, problems);
        var graphs = new List<GraphCheck>();
        var altered = files.Where(f => !f.ChecksumMatches).Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var (role, expected) in manifest.Graphs)
        {
            if (altered.Contains(expected.File))
            {
                // Already reported; a graph whose bytes are not the packaged ones is not worth loading.
                continue;
            }

            GraphCheck? check;
            InferenceSession? session;
            try
            {
                check = CheckGraph(directory, manifest, role, expected, sessionFactory, problems, out session);
            }
            catch (ExecutionProviderUnavailableException)
            {
                // Not a problem of the package: the sessions made so far go, and the caller learns why.
                foreach (var made in sessions.Values)
                {
                    made.Dispose();
                }

                throw;
            }

            if (check is not null)
            {
                graphs.Add(check);
            }

            if (session is not null)
            {
                if (keepSessions)
                {
                    sessions[role] = session;
                }
                else
                {
                    session.Dispose();
                }
            }
        }

        var report = new PackageCheckReport
        {
            Directory = directory,
            Manifest = manifest,
            Files = files,
            Graphs = graphs,
            Problems = problems,
        };
        return (report, sessions);
    }

    private static PackageManifest? ReadManifest(string directory, List<string> problems)
    {
        string path = Path.Combine(directory, PackageManifest.FileName);
        if (!Directory.Exists(directory))
        {
            problems.Add($"folder '{directory}' does not exist");
            return null;
        }

        if (!File.Exists(path))
        {
            problems.Add($"{PackageManifest.FileName}: missing (a model package folder holds a medserve.json manifest)");
            return null;
        }

        PackageManifest? manifest;
        try
        {
            using var stream = File.OpenRead(path);
            manifest = JsonSerializer.Deserialize(stream, PackageJsonContext.Default.PackageManifest);
        }
        catch (JsonException ex)
        {
            problems.Add($"{PackageManifest.FileName}: not a valid manifest ({ex.Message})");
            return null;
        }

        if (manifest is null)
        {
            problems.Add($"{PackageManifest.FileName}: empty manifest");
            return null;
        }

        if (manifest.FormatVersion != PackageManifest.CurrentFormatVersion)
        {
            problems.Add($"{PackageManifest.FileName}: format_version is {manifest.FormatVersion}; this build reads {PackageManifest.CurrentFormatVersion}");
        }

        if (string.IsNullOrWhiteSpace(manifest.Name) || !IsSafeName(manifest.Name))
        {
            problems.Add($"{PackageManifest.FileName}: name '{manifest.Name}' must be 1-64 characters of a-z, 0-9, '-' or '_'");
        }

        if (string.IsNullOrWhiteSpace(manifest.Task))
        {
            problems.Add($"{PackageManifest.FileName}: task is missing");
        }

        foreach (var (role, graph) in manifest.Graphs)
        {
            if (!manifest.Files.ContainsKey(graph.File))
            {
                problems.Add($"{PackageManifest.FileName}: graph '{role}' file '{graph.File}' is not listed in files (every file needs a checksum)");
            }

            if (graph.MaxBatchSize is < 1)
            {
                problems.Add($"{PackageManifest.FileName}: graph '{role}' max_batch_size must be at least 1");
            }
        }

        if (manifest.Limits.MaxRows < 1 || manifest.Limits.MaxBatchSize < 1 || manifest.Limits.MaxPrompts < 1)
        {
            problems.Add($"{PackageManifest.FileName}: limits.max_rows, limits.max_batch_size and limits.max_prompts must be at least 1");
        }

        CheckReferencedFile(manifest, manifest.Tokenizer?.Merges, "tokenizer.merges", problems);
        CheckReferencedFile(manifest, manifest.Tokenizer?.Vocab, "tokenizer.vocab", problems);
        CheckReferencedFile(manifest, manifest.TargetDistributions, "target_distributions", problems);
        CheckReferencedFile(manifest, manifest.Tokenizer?.Model, "tokenizer.model", problems);
        CheckReferencedFile(manifest, manifest.Tokenizer?.AddedTokens, "tokenizer.added_tokens", problems);
        return manifest;
    }

    private static void CheckReferencedFile(PackageManifest manifest, string? file, string key, List<string> problems)
    {
        if (!string.IsNullOrEmpty(file) && !manifest.Files.ContainsKey(file))
        {
            problems.Add($"{PackageManifest.FileName}: {key} file '{file}' is not listed in files (every file needs a checksum)");
        }
    }

    private static List<PackageFileCheck> CheckFiles(string directory, PackageManifest manifest, List<string> problems)
    {
        var checks = new List<PackageFileCheck>();
        foreach (var (relative, expectedSha) in manifest.Files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (!IsSafeRelativePath(relative))
            {
                problems.Add($"{relative}: path must be relative to the package folder and stay inside it");
                checks.Add(new PackageFileCheck(relative, -1, false));
                continue;
            }

            string path = Path.Combine(directory, relative);
            if (!File.Exists(path))
            {
                problems.Add($"{relative}: missing");
                checks.Add(new PackageFileCheck(relative, -1, false));
                continue;
            }

            string actual = ComputeSha256(path);
            bool matches = string.Equals(actual, expectedSha, StringComparison.OrdinalIgnoreCase);
            if (!matches)
            {
                problems.Add($"{relative}: SHA-256 is {actual}, the manifest says {expectedSha}");
            }

            checks.Add(new PackageFileCheck(relative, new FileInfo(path).Length, matches));
        }

        return checks;
    }

    private static GraphCheck? CheckGraph(string directory, PackageManifest manifest, string role, GraphSignature expected,
        OrtSessionFactory sessionFactory, List<string> problems, out InferenceSession? session)
    {
        session = null;
        string path = Path.Combine(directory, expected.File);
        if (!IsSafeRelativePath(expected.File) || !File.Exists(path))
        {
            if (!manifest.Files.ContainsKey(expected.File))
            {
                problems.Add($"{expected.File}: graph '{role}' file is missing");
            }

            return null;
        }

        try
        {
            session = sessionFactory.Create(path);
        }
        catch (OnnxRuntimeException ex)
        {
            problems.Add($"{expected.File}: ONNX Runtime cannot load graph '{role}' ({FirstLine(ex.Message)})");
            return null;
        }

        var inputs = OrtSignature.Describe(session.InputNames, session.InputMetadata);
        var outputs = OrtSignature.Describe(session.OutputNames, session.OutputMetadata);
        int before = problems.Count;
        Compare(expected.File, "input", expected.Inputs, inputs, problems);
        Compare(expected.File, "output", expected.Outputs, outputs, problems);
        return new GraphCheck(role, expected.File, inputs, outputs, problems.Count == before);
    }

    private static void Compare(string file, string kind, IReadOnlyList<TensorSignature> expected,
        IReadOnlyList<TensorSignature> actual, List<string> problems)
    {
        var actualByName = actual.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var want in expected)
        {
            if (!actualByName.TryGetValue(want.Name, out var have))
            {
                string names = string.Join(", ", actual.Select(a => a.Name));
                problems.Add($"{file}: {kind} '{want.Name}' is missing (the graph's {kind}s are: {names})");
                continue;
            }

            if (!string.Equals(want.ElementType, have.ElementType, StringComparison.Ordinal))
            {
                problems.Add($"{file}: {kind} '{want.Name}' has element type {have.ElementType}, the manifest says {want.ElementType}");
            }

            if (!ShapesMatch(want.Shape, have.Shape))
            {
                problems.Add($"{file}: {kind} '{want.Name}' has shape [{string.Join(",", have.Shape)}], the manifest says [{string.Join(",", want.Shape)}]");
            }
        }

        var expectedNames = expected.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var extra in actual.Where(a => !expectedNames.Contains(a.Name)))
        {
            problems.Add($"{file}: {kind} '{extra.Name}' is in the graph but not in the manifest");
        }
    }

    /// <summary>
    /// A fixed manifest dimension needs the same fixed size in the graph; a symbolic one needs a free
    /// dimension (any name), since the server varies it.
    /// </summary>
    private static bool ShapesMatch(IReadOnlyList<TensorDimension> want, IReadOnlyList<TensorDimension> have)
    {
        if (want.Count != have.Count)
        {
            return false;
        }

        for (int i = 0; i < want.Count; i++)
        {
            if (want[i].IsSymbolic != have[i].IsSymbolic || want[i].Size != have[i].Size)
            {
                return false;
            }
        }

        return true;
    }

    private static string ComputeSha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static bool IsSafeRelativePath(string relative) =>
        !string.IsNullOrEmpty(relative)
        && !Path.IsPathRooted(relative)
        && !relative.Contains('\\', StringComparison.Ordinal)
        && relative.Split('/').All(part => part.Length > 0 && part != "." && part != "..");

    internal static bool IsSafeName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_');

    private static string FirstLine(string message)
    {
        int newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? message : message[..newline];
    }
}
