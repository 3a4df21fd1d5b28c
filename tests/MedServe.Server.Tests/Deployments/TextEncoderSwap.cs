using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace MedServe.Server.Tests.Deployments;

/// <summary>Replaces a written demo MedImageInsight package's text encoder and its checksum in the manifest.</summary>
internal static class TextEncoderSwap
{
    public static string Replace(string directory, byte[] graph)
    {
        File.WriteAllBytes(Path.Combine(directory, "text_encoder.onnx"), graph);
        string manifestPath = Path.Combine(directory, "medserve.json");
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        manifest["files"]!["text_encoder.onnx"] = Convert.ToHexStringLower(SHA256.HashData(graph));
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        return directory;
    }
}
