using System.Text.Json.Serialization;

namespace MedServe.Models.Demo;

/// <summary>Source-generated JSON for the files demo packages write (e.g. <c>added_tokens.json</c>).</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(Dictionary<string, int>))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
