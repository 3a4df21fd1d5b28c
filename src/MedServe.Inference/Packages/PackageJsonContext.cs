using System.Text.Json.Serialization;

namespace MedServe.Inference.Packages;

/// <summary>Source-generated JSON metadata for the package manifest.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(PackageManifest))]
internal sealed partial class PackageJsonContext : JsonSerializerContext;
