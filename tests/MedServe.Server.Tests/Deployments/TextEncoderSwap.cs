using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace MedServe.Server.Tests.Deployments;

/// <summary>Replaces a written demo package's text encoder (or another graph file) and its checksum in the manifest.</summary>
internal static class TextEncoderSwap
{
    public static string Replace(string directory, byte[] graph, string file = "text_encoder.onnx")
    {
        File.WriteAllBytes(Path.Combine(directory, file), graph);
        string manifestPath = Path.Combine(directory, "medserve.json");
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        manifest["files"]![file] = Convert.ToHexStringLower(SHA256.HashData(graph));
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        return directory;
    }
}
