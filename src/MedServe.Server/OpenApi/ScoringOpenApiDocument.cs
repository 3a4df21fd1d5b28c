using System.Text.Json;
using MedServe.Models.Scoring;
using MedServe.Server.Hosting;

namespace MedServe.Server.OpenApi;

/// <summary>
/// Writes the OpenAPI 3.0 document of an endpoint's scoring route: the envelope, the endpoint's
/// columns and params, and the per-row response, as <c>GET /swagger.json</c> serves it.
/// </summary>
internal static class ScoringOpenApiDocument
{
    public static byte[] Write(ServedEndpoint endpoint, string scoringPath)
    {
        var descriptor = endpoint.Model.Descriptor;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("openapi", "3.0.1");
            w.WriteStartObject("info");
            w.WriteString("title", $"MedServe {descriptor.Name}");
            w.WriteString("description", $"Scoring API of endpoint '{descriptor.Name}' ({descriptor.Task} {descriptor.Version}{(descriptor.Synthetic ? ", SYNTHETIC demo weights" : "")}), wire-compatible with the hosted Azure endpoint.");
            w.WriteString("version", descriptor.Version);
            w.WriteEndObject();

            w.WriteStartObject("paths");
            w.WriteStartObject(scoringPath);
            w.WriteStartObject("post");
            w.WriteString("operationId", "score");
            w.WriteString("summary", $"Score rows with {descriptor.Task}");
            w.WriteStartArray("parameters");
            WriteHeaderParameter(w, "azureml-model-deployment", "Pins a deployment; a name the endpoint does not serve gives 404.");
            WriteHeaderParameter(w, "x-request-id", "Echoed when at most 100 characters of letters, digits, '-', '_', '.' or ':'.");
            w.WriteEndArray();
            w.WriteStartObject("requestBody");
            w.WriteBoolean("required", true);
            w.WriteStartObject("content");
            w.WriteStartObject("application/json");
            w.WriteStartObject("schema");
            w.WriteString("$ref", "#/components/schemas/ScoringRequest");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject("responses");
            w.WriteStartObject("200");
            w.WriteString("description", "One object per input row, in input order (a bare array).");
            w.WriteStartObject("content");
            w.WriteStartObject("application/json");
            w.WriteStartObject("schema");
            w.WriteString("type", "array");
            w.WriteStartObject("items");
            w.WriteString("$ref", "#/components/schemas/ScoringResultRow");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            foreach (var (code, text) in ErrorResponses)
            {
                w.WriteStartObject(code);
                w.WriteString("description", text);
                w.WriteStartObject("content");
                w.WriteStartObject("application/json");
                w.WriteStartObject("schema");
                w.WriteString("$ref", "#/components/schemas/Error");
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteStartArray("security");
            w.WriteStartObject();
            w.WriteStartArray("bearer");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartObject("components");
            w.WriteStartObject("securitySchemes");
            w.WriteStartObject("bearer");
            w.WriteString("type", "http");
            w.WriteString("scheme", "bearer");
            w.WriteString("description", "The endpoint's primary or secondary key.");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject("schemas");
            WriteRequestSchema(w, descriptor);
            w.WritePropertyName("ScoringResultRow");
            using (var rowSchema = JsonDocument.Parse(descriptor.ResponseRowSchemaJson))
            {
                rowSchema.RootElement.WriteTo(w);
            }

            w.WriteStartObject("Error");
            w.WriteString("type", "object");
            w.WriteStartArray("required");
            w.WriteStringValue("message");
            w.WriteEndArray();
            w.WriteStartObject("properties");
            w.WriteStartObject("message");
            w.WriteString("type", "string");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static readonly (string Code, string Text)[] ErrorResponses =
    [
        ("400", "Bad input: not JSON, malformed frame, bad cell (row and column named), undecodable image."),
        ("401", "Missing, malformed or wrong key."),
        ("404", "Unknown endpoint or deployment."),
        ("413", "Body larger than the configured limit."),
        ("415", "Content type is not JSON."),
        ("500", "Unexpected server failure (x-ms-run-function-failed: True)."),
    ];

    private static void WriteHeaderParameter(Utf8JsonWriter w, string name, string description)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("in", "header");
        w.WriteBoolean("required", false);
        w.WriteString("description", description);
        w.WriteStartObject("schema");
        w.WriteString("type", "string");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteRequestSchema(Utf8JsonWriter w, ModelDescriptor descriptor)
    {
        w.WriteStartObject("ScoringRequest");
        w.WriteString("type", "object");
        w.WriteStartArray("required");
        w.WriteStringValue("input_data");
        w.WriteEndArray();
        w.WriteStartObject("properties");

        w.WriteStartObject("input_data");
        w.WriteString("type", "object");
        w.WriteString("description", "A pandas 'split' frame. Columns in any order; a request may carry only some columns.");
        w.WriteStartArray("required");
        w.WriteStringValue("columns");
        w.WriteStringValue("data");
        w.WriteEndArray();
        w.WriteStartObject("properties");
        w.WriteStartObject("columns");
        w.WriteString("type", "array");
        w.WriteStartObject("items");
        w.WriteString("type", "string");
        w.WriteStartArray("enum");
        foreach (var column in descriptor.Columns)
        {
            w.WriteStringValue(column.Name);
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteString("description", string.Join("; ", descriptor.Columns.Select(c => $"{c.Name}: {c.Description}")));
        w.WriteEndObject();
        w.WriteStartObject("index");
        w.WriteString("type", "array");
        w.WriteString("description", "Optional; when present, as long as data.");
        w.WriteStartObject("items");
        w.WriteString("type", "integer");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("data");
        w.WriteString("type", "array");
        w.WriteNumber("maxItems", descriptor.MaxRows);
        w.WriteStartObject("items");
        w.WriteString("type", "array");
        w.WriteStartObject("items");
        w.WriteString("type", "string");
        w.WriteBoolean("nullable", true);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartObject("params");
        w.WriteString("type", "object");
        w.WriteString("description", "Optional. Anything that is not an object is treated as no params.");
        w.WriteStartObject("properties");
        foreach (var param in descriptor.Params)
        {
            w.WriteStartObject(param.Name);
            w.WriteString("type", param.Type);
            w.WritePropertyName("default");
            using (var value = JsonDocument.Parse(param.DefaultValue))
            {
                value.RootElement.WriteTo(w);
            }

            w.WriteString("description", param.Description);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteEndObject();
        w.WriteEndObject();
    }
}
