using System.Security.Cryptography;
using System.Text.Json;

namespace MedServe.Inference.Packages;

/// <summary>Writes a package folder: its files, then a manifest with their SHA-256 checksums.</summary>
public static class PackageWriter
{
    /// <summary>
    /// Writes <paramref name="files"/> (relative path → content) into <paramref name="directory"/> and
    /// a <c>medserve.json</c> equal to <paramref name="manifest"/> with <c>files</c> set to their checksums.
    /// </summary>
    public static PackageManifest Write(string directory, PackageManifest manifest, IReadOnlyDictionary<string, byte[]> files)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(files);
        System.IO.Directory.CreateDirectory(directory);
        var checksums = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (relative, content) in files)
        {
            string path = Path.Combine(directory, relative);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
            checksums[relative] = Convert.ToHexStringLower(SHA256.HashData(content));
        }

        var written = manifest with { Files = checksums };
        WriteManifest(directory, written);
        return written;
    }

    /// <summary>Writes (or replaces) the manifest of a package folder as it is, checksums included.</summary>
    public static void WriteManifest(string directory, PackageManifest manifest)
    {
        string json = JsonSerializer.Serialize(manifest, PackageJsonContext.Default.PackageManifest);
        File.WriteAllText(Path.Combine(directory, PackageManifest.FileName), json + "\n");
    }
}
