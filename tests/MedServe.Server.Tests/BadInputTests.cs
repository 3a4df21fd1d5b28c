using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MedServe.Server.Tests;

/// <summary>
/// Every bad input path of issue 2: the status, the message, and that the server still serves the
/// next request.
/// </summary>
public sealed class BadInputTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string GoodText = """{"input_data": {"columns": ["text"], "index": [0], "data": [["chest x-ray"]]}}""";

    private static string ImageRequest(string base64) =>
        $$$"""{"input_data": {"columns": ["image"], "index": [0], "data": [["{{{base64}}}"]]}}""";

    private async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string messagePart)
    {
        string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
        Assert.Single(doc.RootElement.EnumerateObject());
        string message = doc.RootElement.GetProperty("message").GetString()!;
        Assert.Contains(messagePart, message, StringComparison.Ordinal);
        Assert.True(response.Headers.Contains("x-request-id"));

        var next = await server.PostAsync(GoodText);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    private Task<HttpResponseMessage> PostRawAsync(string body, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/score") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return server.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("\"text\"", "must be a JSON object")]
    [InlineData("{\"params\": {}}", "lacks 'input_data'")]
    [InlineData("{\"input_data\": [1]}", "'input_data' must be an object")]
    [InlineData("{\"input_data\": {\"data\": [[\"a\"]]}}", "'input_data.columns' must be a list")]
    [InlineData("{\"input_data\": {\"columns\": [\"text\"], \"data\": \"abc\"}}", "must be a list of rows")]
    [InlineData("{\"input_data\": {\"columns\": [\"text\"], \"data\": [\"abc\"]}}", "must be a list of lists; row 0")]
    [InlineData("{\"input_data\": {\"columns\": [\"text\"], \"data\": [[\"a\", \"b\"]]}}", "row 0 has 2 cells but there are 1 columns")]
    [InlineData("{\"input_data\": {\"columns\": [\"text\"], \"index\": [0, 1], \"data\": [[\"a\"]]}}", "'input_data.index' has 2 entries but 'data' has 1 rows")]
    [InlineData("{\"input_data\": {\"columns\": [\"text\", \"text\"], \"data\": [[\"a\", \"b\"]]}}", "appears twice")]
    [InlineData("{\"input_data\": {\"columns\": [\"text\"], \"data\": []}}", "has no rows")]
    [InlineData("{\"input_data\": {\"columns\": [\"image\", \"texts\"], \"data\": [[null, \"a\"]]}}", "unknown column 'texts'; MedImageInsight accepts the columns: image, text")]
    [InlineData("{\"input_data\": {\"columns\": [\"text\"], \"data\": [[42]]}}", "row 0, column 'text': expected a string or null, got a number")]
    [InlineData("{\"input_data\": {\"columns\": [\"image\"], \"data\": [[{\"a\": 1}]]}}", "row 0, column 'image': expected a base64 string or null, got an object")]
    [InlineData("{\"input_data\": {\"columns\": [\"text\"], \"data\": [[null]]}}", "row 0 has neither an image nor a text")]
    [InlineData("{\"input_data\": {\"columns\": [\"text\"], \"data\": [[\"a\"]]}, \"params\": {\"get_scaling_factor\": 3}}", "param 'get_scaling_factor' must be true or false")]
    [InlineData("{\"input_data\": {\"columns\": [\"text\"], \"data\": [[\"a\"]]}, \"params\": {\"image_standardization_jpeg_compression_ratio\": 101}}", "param 'image_standardization_jpeg_compression_ratio' must be an integer from 1 to 100")]
    public async Task Score_MalformedEnvelope_Returns400(string body, string messagePart)
    {
        await AssertRefusedAsync(await PostRawAsync(body), HttpStatusCode.BadRequest, messagePart);
    }

    [Fact]
    public async Task Score_InvalidBase64_Returns400NamingRowAndColumn()
    {
        await AssertRefusedAsync(await server.PostAsync(ImageRequest("not*base64!")), HttpStatusCode.BadRequest, "row 0, column 'image': not valid base64");
    }

    [Fact]
    public async Task Score_BytesThatAreNoImage_Returns400()
    {
        string base64 = Convert.ToBase64String("this is plain text, not an image"u8.ToArray());
        await AssertRefusedAsync(await server.PostAsync(ImageRequest(base64)), HttpStatusCode.BadRequest, "row 0, column 'image': not a PNG, JPEG or DICOM image");
    }

    [Fact]
    public async Task Score_TruncatedPng_Returns400()
    {
        byte[] png = TestImages.GradientPng();
        string base64 = Convert.ToBase64String(png.AsSpan(0, png.Length / 2));
        await AssertRefusedAsync(await server.PostAsync(ImageRequest(base64)), HttpStatusCode.BadRequest, "row 0, column 'image':");
    }

    [Fact]
    public async Task Score_DecompressionBombHeader_Returns400WithTheLimit()
    {
        string base64 = Convert.ToBase64String(TestImages.PngHeaderOnly(100_000, 100_000));
        await AssertRefusedAsync(await server.PostAsync(ImageRequest(base64)), HttpStatusCode.BadRequest, "100000");
    }

    [Fact]
    public async Task Score_TextRowsMixedWithImageRows_Returns400()
    {
        string image = Convert.ToBase64String(TestImages.GradientPng());
        string body = $$$"""{"input_data": {"columns": ["image", "text"], "index": [0, 1], "data": [["{{{image}}}", null], [null, "chest"]]}}""";
        await AssertRefusedAsync(await server.PostAsync(body), HttpStatusCode.BadRequest, "rows mix modalities: row 0 has only an image but row 1 has only a text");
    }

    [Fact]
    public async Task Score_MoreRowsThanTheLimit_Returns400()
    {
        string rows = string.Join(", ", Enumerable.Repeat("[\"chest\"]", ServerFixture.MaxRows + 1));
        string body = $$$"""{"input_data": {"columns": ["text"], "data": [{{{rows}}}]}}""";
        await AssertRefusedAsync(await server.PostAsync(body), HttpStatusCode.BadRequest, $"the request has {ServerFixture.MaxRows + 1} rows; the limit is {ServerFixture.MaxRows}");
    }

    [Theory]
    [InlineData(null, "missing Authorization header")]
    [InlineData("Bearer wrong-key-0123456789abcdef", "invalid key")]
    [InlineData("Basic dXNlcjpwYXNz", "malformed Authorization header")]
    [InlineData("Bearer ", "malformed Authorization header")]
    public async Task Score_WrongOrMissingKey_Returns401(string? authorization, string messagePart)
    {
        using var client = server.CreateAnonymousClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/score") { Content = new StringContent(GoodText, Encoding.UTF8, "application/json") };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        await AssertRefusedAsync(await client.SendAsync(request, TestContext.Current.CancellationToken), HttpStatusCode.Unauthorized, messagePart);
    }

    [Fact]
    public async Task Score_ErrorBody_IsPlainReadableJson()
    {
        using var client = server.CreateAnonymousClient();
        var response = await client.PostAsync("/score", new StringContent(GoodText, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal("{\"message\":\"missing Authorization header; send 'Authorization: Bearer <key>'\"}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Swagger_WithoutKey_Returns401()
    {
        using var client = server.CreateAnonymousClient();
        await AssertRefusedAsync(await client.GetAsync("/swagger.json", TestContext.Current.CancellationToken), HttpStatusCode.Unauthorized, "missing Authorization header");
    }

    [Fact]
    public async Task Swagger_UnknownEndpointWithoutKey_Returns401NotRevealingNames()
    {
        using var client = server.CreateAnonymousClient();
        await AssertRefusedAsync(await client.GetAsync("/endpoints/nope/swagger.json", TestContext.Current.CancellationToken), HttpStatusCode.Unauthorized, "missing Authorization header");
        await AssertRefusedAsync(await server.Client.GetAsync("/endpoints/nope/swagger.json", TestContext.Current.CancellationToken), HttpStatusCode.NotFound, "no endpoint named 'nope'");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Score_WrongContentType_Returns415(string contentType)
    {
        await AssertRefusedAsync(await PostRawAsync(GoodText, contentType), HttpStatusCode.UnsupportedMediaType, "content type must be application/json");
    }

    [Fact]
    public async Task Score_JsonWithCharset_Accepted()
    {
        var response = await PostRawAsync(GoodText, "application/json; charset=utf-8");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Score_OversizedBody_Returns413()
    {
        string padding = new('a', (int)ServerFixture.MaxBodyBytes);
        string body = $$$"""{"input_data": {"columns": ["text"], "data": [["{{{padding}}}"]]}}""";
        await AssertRefusedAsync(await server.PostAsync(body), HttpStatusCode.RequestEntityTooLarge, $"larger than the limit of {ServerFixture.MaxBodyBytes} bytes");
    }

    [Fact]
    public async Task Score_UnknownEndpoint_Returns404()
    {
        await AssertRefusedAsync(await server.PostAsync(GoodText, "/endpoints/nope/score"), HttpStatusCode.NotFound, "no endpoint named 'nope'; this server has: medimageinsight, second");
    }

    [Fact]
    public async Task Score_UnknownDeploymentPin_Returns404()
    {
        var response = await server.PostAsync(GoodText, configure: r => r.Headers.Add("azureml-model-deployment", "blue"));
        await AssertRefusedAsync(response, HttpStatusCode.NotFound, "endpoint 'medimageinsight' has no deployment named 'blue'");
    }
}
