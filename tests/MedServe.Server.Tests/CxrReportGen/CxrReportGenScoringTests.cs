using System.Net;
using System.Text.Json;
using MedServe.Models.Tests.CxrReportGen;
using Microsoft.Extensions.Logging;

namespace MedServe.Server.Tests.CxrReportGen;

/// <summary>CXRReportGen through the real server: the hosted request shapes of shared/CONTRACTS.md §4, 424s and every bad input.</summary>
public sealed class CxrReportGenScoringTests(CxrServerFixture server) : IClassFixture<CxrServerFixture>
{
    private const string Columns = "[\"frontal_image\", \"lateral_image\", \"prior_image\", \"indication\", \"technique\", \"comparison\", \"prior_report\"]";

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes);

    private static string Request(string rows, string columns = Columns, string? paramsJson = null) =>
        "{\"input_data\": {\"columns\": " + columns + ", \"data\": " + rows + "}" + (paramsJson is null ? "" : ", \"params\": " + paramsJson) + "}";

    private static string Row(byte[]? frontal, string rest = "null, null, \"Cough.\", null, null, null") =>
        "[" + (frontal is null ? "null" : "\"" + B64(frontal) + "\"") + ", " + rest + "]";

    private static readonly string GoodRequest = Request("[" + Row(CxrTestImages.Dark()) + "]");

    private static async Task<string> BodyAsync(HttpResponseMessage response) =>
        await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

    [Fact]
    public async Task Score_HostedRequestShape_ReturnsOneOutputStringPerRowInOrder()
    {
        string rows = "[" + Row(CxrTestImages.Dark()) + ", " + Row(CxrTestImages.Bright(), $"\"{B64(CxrTestImages.Dark())}\", null, \"\", \"PA.\", null, null") + "]";
        var response = await server.PostAsync(Request(rows));
        string body = await BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("true", response.Headers.GetValues("x-medserve-synthetic-model").Single());
        Assert.Equal("False", response.Headers.GetValues("x-ms-run-function-failed").Single());
        using var document = JsonDocument.Parse(body);
        Assert.Equal(2, document.RootElement.GetArrayLength());
        foreach (var row in document.RootElement.EnumerateArray())
        {
            Assert.Equal("output", Assert.Single(row.EnumerateObject()).Name);
        }

        using var dark = JsonDocument.Parse(document.RootElement[0].GetProperty("output").GetString()!);
        using var bright = JsonDocument.Parse(document.RootElement[1].GetProperty("output").GetString()!);
        Assert.Equal("The lungs are clear.", dark.RootElement[0][0].GetString());
        Assert.Equal(JsonValueKind.Null, dark.RootElement[0][1].ValueKind);
        Assert.Equal("Median sternotomy wires are present.", dark.RootElement[2][0].GetString());
        Assert.Equal([0.455, 0.205, 0.555, 0.625], dark.RootElement[2][1][0].EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal("The cardiomediastinal silhouette is normal.", bright.RootElement[0][0].GetString());
        Assert.Equal(2, bright.RootElement[2][1].GetArrayLength());
    }

    [Fact]
    public async Task Swagger_CxrEndpoint_ListsTheHostedColumnsAndTheOptInParams()
    {
        var response = await server.Client.GetAsync("/endpoints/cxrreportgen/swagger.json", TestContext.Current.CancellationToken);
        string body = await BodyAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (string name in new[] { "frontal_image", "prior_report", "box_coordinates", "max_new_tokens", "grounding" })
        {
            Assert.Contains($"\"{name}\"", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Score_OnlyTheFrontalColumn_IsEnough()
    {
        var response = await server.PostAsync(Request("[[\"" + B64(CxrTestImages.Bright()) + "\"]]", "[\"frontal_image\"]", "\"sitk\""));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await BodyAsync(response));
    }

    [Fact]
    public async Task Score_Success_LogsItsLineAtDebugLevelOnly()
    {
        var response = await server.PostAsync(GoodRequest);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string requestId = response.Headers.GetValues("x-ms-request-id").Single();
        var line = Assert.Single(server.Log.Records.ToArray(), r => r.EventId == 3 && r.Message.Contains(requestId, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Debug, line.Level);
    }

    [Fact]
    public async Task Score_MalformedGeneration_Is424WithModelErrorHeadersAndTheTextOnlyInADebugField()
    {
        var response = await server.PostAsync(GoodRequest, "cxr-malformed");
        string body = await BodyAsync(response);
        Assert.Equal((HttpStatusCode)424, response.StatusCode);
        string reason = response.Headers.GetValues("ms-azureml-model-error-reason").Single();
        Assert.Equal("row 0: the generated findings do not follow the grounding grammar: a <box> must hold <xN><yN><xN><yN> and close with </box> at generated token 4", reason);
        Assert.Equal("500", response.Headers.GetValues("ms-azureml-model-error-statuscode").Single());
        Assert.Equal("True", response.Headers.GetValues("x-ms-run-function-failed").Single());
        using (var document = JsonDocument.Parse(body))
        {
            Assert.Equal(reason, document.RootElement.GetProperty("message").GetString());
        }

        Assert.DoesNotContain("basilar", body, StringComparison.Ordinal);
        var records = server.Log.Records.ToArray();
        var detail = Assert.Single(records, r => r.EventId == 18 && r.Message.Contains("basilar", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Debug, detail.Level);
        Assert.Contains(detail.Fields, f => f.Key == "ModelOutput" && (f.Value as string ?? "").Contains("Right basilar opacity.", StringComparison.Ordinal));
        Assert.DoesNotContain(records, r => r.Level >= LogLevel.Information && r.Message.Contains("basilar", StringComparison.Ordinal));
        Assert.Contains(records, r => r.EventId == 17 && r.Level == LogLevel.Warning);

        var next = await server.PostAsync(GoodRequest);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    public static TheoryData<string, string> BadRequests()
    {
        string dark = B64(CxrTestImages.Dark());
        string Rows(string row) => Request("[" + row + "]");
        return new()
        {
            { Rows("[null, null, null, \"Cough.\", null, null, null]"), "row 0: column 'frontal_image' is required (a base64 PNG, JPEG or DICOM image)" },
            { Request("[[\"Cough.\"]]", "[\"indication\"]"), "row 0: column 'frontal_image' is required" },
            { Rows("[\"" + B64([1, 2, 3, 4, 5, 6]) + "\", null, null, null, null, null, null]"), "row 0, column 'frontal_image': not a PNG, JPEG or DICOM image" },
            { Rows($"[\"{dark}\", \"" + B64([9, 9, 9]) + "\", null, null, null, null, null]"), "row 0, column 'lateral_image': not a PNG, JPEG or DICOM image" },
            { Rows("[\"abc\", null, null, null, null, null, null]"), "row 0, column 'frontal_image': not valid base64" },
            { Rows($"[\"{dark}\", null, null, 42, null, null, null]"), "row 0, column 'indication': expected a string or null, got a number" },
            { Rows($"[\"{dark}\", null, null, null, [\"PA\"], null, null]"), "row 0, column 'technique': expected a string or null, got a list" },
            { Rows($"[\"{dark}\", null, null, null, null, null, \"Clear lungs.\"]"), "row 0: column 'prior_report' needs column 'prior_image' (the prior report is read against the prior frontal image)" },
            { Rows($"[\"{dark}\", null, null, \"see <image> here\", null, null, null]"), "row 0, column 'indication': contains the model's control token '<image>', which a text cell may not hold" },
            { Request("[" + string.Join(", ", Enumerable.Repeat($"[\"{dark}\"]", 11)) + "]", "[\"frontal_image\"]"), "the request has 11 rows; the limit is 10 rows per request" },
            { Request($"[[\"{dark}\", \"x\"]]", "[\"frontal_image\", \"view\"]"), "unknown column 'view'; CXRReportGen accepts the columns: frontal_image, lateral_image, prior_image, indication, technique, comparison, prior_report" },
            { Request($"[[\"{dark}\"]]", "[\"frontal_image\"]", "{\"box_coordinates\": \"pixels\"}"), "param 'box_coordinates' must be \"crop\"" },
            { Request($"[[\"{dark}\"]]", "[\"frontal_image\"]", "{\"grounding\": \"maybe\"}"), "param 'grounding' must be true or false" },
            { Request($"[[\"{dark}\"]]", "[\"frontal_image\"]", "{\"max_new_tokens\": 451}"), "param 'max_new_tokens' must be an integer from 1 to 450 (the package's limit for grounded reports)" },
            { Request($"[[\"{dark}\"]]", "[\"frontal_image\"]", "{\"grounding\": false, \"max_new_tokens\": 301}"), "param 'max_new_tokens' must be an integer from 1 to 300 (the package's limit with \"grounding\": false)" },
        };
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Score_BadInput_Is400WithAPreciseMessageAndTheNextRequestIsServed(string json, string message)
    {
        var response = await server.PostAsync(json);
        string body = await BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        using (var document = JsonDocument.Parse(body))
        {
            Assert.Contains(message, document.RootElement.GetProperty("message").GetString()!, StringComparison.Ordinal);
        }

        var next = await server.PostAsync(GoodRequest);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }
}
