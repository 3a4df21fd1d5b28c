using System.Net;
using System.Numerics.Tensors;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MedServe.Server.Tests;

/// <summary>Every MedImageInsight request shape of shared/CONTRACTS.md §1–2, through the real server.</summary>
public sealed partial class ScoringContractTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string Prompt = "x-ray chest anteroposterior Atelectasis.";

    private static string Request(string columns, string rows, string? paramsJson = null, string index = "[0]")
    {
        string parameters = paramsJson is null ? "" : $", \"params\": {paramsJson}";
        return "{\"input_data\": {\"columns\": " + columns + ", \"index\": " + index + ", \"data\": " + rows + "}" + parameters + "}";
    }

    private static async Task<JsonElement> ArrayAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal(JsonValueKind.Array, root.ValueKind);
        return root;
    }

    [Fact]
    public async Task Liveness_GetRoot_AnswersHealthy()
    {
        using var anonymous = server.CreateAnonymousClient();
        var response = await anonymous.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Score_TextOnly_ReturnsFlatNormalisedTextFeaturesAndScalingFactor()
    {
        var response = await server.PostAsync(Request("[\"text\"]", $"[[\"{Prompt}\"], [\"ct abdomen liver lesion\"]]", index: "[0, 1]"));
        var rows = await ArrayAsync(response);
        Assert.Equal(2, rows.GetArrayLength());
        var first = rows[0];
        Assert.False(first.TryGetProperty("image_features", out _));
        var features = Expectations.Floats(first.GetProperty("text_features"));
        Assert.Equal(1024, features.Length);
        Assert.Equal(1.0, TensorPrimitives.Norm(features), 3);
        Expectations.Close(Expectations.TextEmbedding(server.PackageDirectory, Prompt), features);
        Assert.Equal(4.513362, first.GetProperty("scaling_factor").GetDouble(), 6);
        Expectations.Close(Expectations.TextEmbedding(server.PackageDirectory, "ct abdomen liver lesion"), Expectations.Floats(rows[1].GetProperty("text_features")));
    }

    [Fact]
    public async Task Score_ImageOnly_ReturnsNestedNormalisedImageFeatures()
    {
        byte[] png = TestImages.GradientPng();
        var response = await server.PostAsync(Request("[\"image\", \"text\"]", $"[[\"{Convert.ToBase64String(png)}\", null]]"));
        var row = (await ArrayAsync(response))[0];
        Assert.False(row.TryGetProperty("text_features", out _));
        var nested = row.GetProperty("image_features");
        Assert.Equal(1, nested.GetArrayLength());
        var features = Expectations.Floats(nested[0]);
        Assert.Equal(1024, features.Length);
        Assert.Equal(1.0, TensorPrimitives.Norm(features), 3);
        Expectations.Close(Expectations.ImageEmbedding(png), features);
        Assert.True(row.TryGetProperty("scaling_factor", out _));
    }

    [Fact]
    public async Task Score_ImageAndText_ReturnsBothPerRowInInputOrder()
    {
        byte[] png = TestImages.GradientPng();
        byte[] jpeg = TestImages.GradientJpeg();
        string rowsJson = $"[[\"{Convert.ToBase64String(png)}\", \"{Prompt}\"], [\"{Convert.ToBase64String(jpeg)}\", \"\\u00e9chographie\"]]";
        var rows = await ArrayAsync(await server.PostAsync(Request("[\"image\", \"text\"]", rowsJson, index: "[0, 1]")));
        Assert.Equal(2, rows.GetArrayLength());
        Expectations.Close(Expectations.ImageEmbedding(png), Expectations.Floats(rows[0].GetProperty("image_features")[0]));
        Expectations.Close(Expectations.ImageEmbedding(jpeg), Expectations.Floats(rows[1].GetProperty("image_features")[0]));
        Expectations.Close(Expectations.TextEmbedding(server.PackageDirectory, Prompt), Expectations.Floats(rows[0].GetProperty("text_features")));
        Expectations.Close(Expectations.TextEmbedding(server.PackageDirectory, "échographie"), Expectations.Floats(rows[1].GetProperty("text_features")));
    }

    [Fact]
    public async Task Score_ColumnsReversedAndNoIndex_Accepted()
    {
        string json = $$$"""{"input_data": {"columns": ["text", "image"], "data": [["{{{Prompt}}}", null]]}}""";
        var rows = await ArrayAsync(await server.PostAsync(json));
        Expectations.Close(Expectations.TextEmbedding(server.PackageDirectory, Prompt), Expectations.Floats(rows[0].GetProperty("text_features")));
    }

    [Fact]
    public async Task Score_MimeBase64WithLineBreaks_EqualsPlainBase64()
    {
        byte[] png = TestImages.GradientPng(128, 96);
        string mime = TestImages.MimeBase64(png);
        Assert.Contains("\r\n", mime, StringComparison.Ordinal);
        var plain = await ArrayAsync(await server.PostAsync(Request("[\"image\"]", $"[[\"{Convert.ToBase64String(png)}\"]]")));
        var broken = await ArrayAsync(await server.PostAsync(Request("[\"image\"]", $"[[{JsonSerializer.Serialize(mime)}]]")));
        Assert.Equal(Expectations.Floats(plain[0].GetProperty("image_features")[0]), Expectations.Floats(broken[0].GetProperty("image_features")[0]));
    }

    [Theory]
    [InlineData("\"sitk\"")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[1, 2]")]
    [InlineData("{\"get_scaling_factor\": true}")]
    [InlineData("{\"get_scaling_factor\": \"True\"}")]
    [InlineData("{\"get_scaling_factor\": \"true\"}")]
    public async Task Score_ParamsOfAnyShape_KeepScalingFactor(string paramsJson)
    {
        var rows = await ArrayAsync(await server.PostAsync(Request("[\"text\"]", $"[[\"{Prompt}\"]]", paramsJson)));
        Assert.Equal(4.513362, rows[0].GetProperty("scaling_factor").GetDouble(), 6);
    }

    [Theory]
    [InlineData("{\"get_scaling_factor\": false}")]
    [InlineData("{\"get_scaling_factor\": \"False\"}")]
    public async Task Score_GetScalingFactorFalse_OmitsTheKey(string paramsJson)
    {
        var rows = await ArrayAsync(await server.PostAsync(Request("[\"text\"]", $"[[\"{Prompt}\"]]", paramsJson)));
        Assert.False(rows[0].TryGetProperty("scaling_factor", out _));
        Assert.True(rows[0].TryGetProperty("text_features", out _));
    }

    [Fact]
    public async Task Score_StandardisationParams_ChangeTheImagePipeline()
    {
        byte[] png = TestImages.GradientPng();
        string image = Convert.ToBase64String(png);
        var defaults = await ArrayAsync(await server.PostAsync(Request("[\"image\"]", $"[[\"{image}\"]]")));
        var custom = await ArrayAsync(await server.PostAsync(Request("[\"image\"]", $"[[\"{image}\"]]",
            "{\"image_standardization_image_size\": 256, \"image_standardization_jpeg_compression_ratio\": 20}")));
        var expected = Expectations.ImageEmbedding(png, 256, 20);
        Expectations.Close(expected, Expectations.Floats(custom[0].GetProperty("image_features")[0]));
        Assert.NotEqual(Expectations.Floats(defaults[0].GetProperty("image_features")[0]), Expectations.Floats(custom[0].GetProperty("image_features")[0]));
    }

    [Fact]
    public async Task Score_ResponseHeaders_FollowTheHostedService()
    {
        var response = await server.PostAsync(Request("[\"text\"]", $"[[\"{Prompt}\"]]"), configure: r =>
        {
            r.Headers.Add("x-request-id", "caller-id-42");
            r.Headers.Add("x-ms-client-request-id", "client-7");
        });
        await ArrayAsync(response);
        Assert.Equal("caller-id-42", Single(response, "x-request-id"));
        Assert.Equal("caller-id-42", Single(response, "x-ms-request-id"));
        Assert.Equal("client-7", Single(response, "x-ms-client-request-id"));
        Assert.Equal("False", Single(response, "x-ms-run-function-failed"));
        Assert.Matches(ExecMsPattern(), Single(response, "x-ms-run-fn-exec-ms"));
        Assert.Equal("medimageinsight", Single(response, "azureml-model-deployment"));
        Assert.Equal("true", Single(response, "x-medserve-synthetic-model"));
    }

    [Fact]
    public async Task Score_InsaneRequestId_IsReplacedWithAGuid()
    {
        var response = await server.PostAsync(Request("[\"text\"]", $"[[\"{Prompt}\"]]"), configure: r =>
            r.Headers.TryAddWithoutValidation("x-request-id", new string('a', 101)));
        await ArrayAsync(response);
        Assert.True(Guid.TryParse(Single(response, "x-request-id"), out _));
    }

    [Fact]
    public async Task Score_DeploymentPinnedToServingDeployment_Accepted()
    {
        var response = await server.PostAsync(Request("[\"text\"]", $"[[\"{Prompt}\"]]"), configure: r => r.Headers.Add("azureml-model-deployment", "medimageinsight"));
        await ArrayAsync(response);
    }

    [Fact]
    public async Task Score_NamedEndpoint_ServesThatPackage()
    {
        var response = await server.PostAsync(Request("[\"text\"]", $"[[\"{Prompt}\"]]"), "/endpoints/second/score");
        await ArrayAsync(response);
        Assert.Equal("second", Single(response, "azureml-model-deployment"));
        var byDefaultName = await server.PostAsync(Request("[\"text\"]", $"[[\"{Prompt}\"]]"), "/endpoints/medimageinsight/score");
        await ArrayAsync(byDefaultName);
    }

    [Fact]
    public async Task Score_SecondaryKey_Accepted()
    {
        var response = await server.PostAsync(Request("[\"text\"]", $"[[\"{Prompt}\"]]"), configure: r =>
            r.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ServerFixture.SecondaryKey));
        await ArrayAsync(response);
    }

    [Fact]
    public async Task Swagger_DescribesTheScoringSchema()
    {
        var response = await server.Client.GetAsync("/swagger.json", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal("3.0.1", doc.GetProperty("openapi").GetString());
        var request = doc.GetProperty("components").GetProperty("schemas").GetProperty("ScoringRequest");
        var columns = request.GetProperty("properties").GetProperty("input_data").GetProperty("properties").GetProperty("columns").GetProperty("items").GetProperty("enum");
        Assert.Equal(["image", "text"], columns.EnumerateArray().Select(c => c.GetString()));
        var parameters = request.GetProperty("properties").GetProperty("params").GetProperty("properties");
        Assert.True(parameters.GetProperty("get_scaling_factor").GetProperty("default").GetBoolean());
        Assert.Equal(512, parameters.GetProperty("image_standardization_image_size").GetProperty("default").GetInt32());
        Assert.Equal(75, parameters.GetProperty("image_standardization_jpeg_compression_ratio").GetProperty("default").GetInt32());
        Assert.True(doc.GetProperty("paths").GetProperty("/score").TryGetProperty("post", out _));
        var row = doc.GetProperty("components").GetProperty("schemas").GetProperty("ScoringResultRow").GetProperty("properties");
        Assert.Equal("array", row.GetProperty("image_features").GetProperty("items").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Swagger_NamedEndpoint_UsesItsPath()
    {
        var response = await server.Client.GetAsync("/endpoints/second/swagger.json", TestContext.Current.CancellationToken);
        var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.True(doc.GetProperty("paths").TryGetProperty("/endpoints/second/score", out _));
    }

    internal static string Single(HttpResponseMessage response, string header) =>
        Assert.Single(response.Headers.TryGetValues(header, out var values) ? values : []);

    [GeneratedRegex(@"^\d+\.\d{3}$")]
    private static partial Regex ExecMsPattern();
}
