using System.Net;
using System.Text.Json;
using SkiaSharp;

namespace MedServe.Server.Tests;

/// <summary>
/// Every MedImageParse bad-input path of issue 3: the status, the exact message, and that the server
/// still serves the next request.
/// </summary>
public sealed class MedImageParseBadInputTests(ParseServerFixture server) : IClassFixture<ParseServerFixture>
{
    private static readonly byte[] Png = ParseExpectations.Png(16, 16, new SKColor(200, 100, 50));

    private async Task AssertRefusedAsync(string body, string expectedMessage, string path = "/score")
    {
        var response = await server.PostAsync(body, path);
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        Assert.Equal(expectedMessage, doc.RootElement.GetProperty("message").GetString());
        Assert.Single(doc.RootElement.EnumerateObject());

        var next = await server.PostAsync(ParseExpectations.Request([(Png, "liver")]), path);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Theory]
    [InlineData(null, "row 0, column 'text': a prompt is required (e.g. \"left lung & COVID-19 infection\")")]
    [InlineData("", "row 0, column 'text': a prompt is required (e.g. \"left lung & COVID-19 infection\")")]
    [InlineData("   ", "row 0, column 'text': a prompt is required (e.g. \"left lung & COVID-19 infection\")")]
    [InlineData("liver & & lung", "row 0, column 'text': prompt 2 of 3 is empty (prompts are separated by '&')")]
    [InlineData("liver &", "row 0, column 'text': prompt 2 of 2 is empty (prompts are separated by '&')")]
    [InlineData("a & b & c & d", "row 0, column 'text': 4 prompts; the limit is 3 per row")]
    public Task Score_BadPrompts_Refused(string? text, string message) =>
        AssertRefusedAsync(ParseExpectations.Request([(Png, text)]), message);

    [Fact]
    public Task Score_NoTextColumn_PromptRequired() =>
        AssertRefusedAsync(ParseExpectations.Request([(Png, null)], columns: "[\"image\"]").Replace(", null]", "]", StringComparison.Ordinal),
            "row 0, column 'text': a prompt is required (e.g. \"left lung & COVID-19 infection\")");

    [Fact]
    public Task Score_ImageMissing_Refused() =>
        AssertRefusedAsync(ParseExpectations.Request([(null, "liver")]), "row 0, column 'image': an image is required");

    [Fact]
    public Task Score_SecondRowImageMissing_NamesRowOne() =>
        AssertRefusedAsync(ParseExpectations.Request([(Png, "liver"), (null, "liver")]), "row 1, column 'image': an image is required");

    [Fact]
    public Task Score_UndecodableImage_Refused() =>
        AssertRefusedAsync(ParseExpectations.Request([("not an image at all"u8.ToArray(), "liver")]), "row 0, column 'image': not a PNG, JPEG or DICOM image");

    [Fact]
    public Task Score_InvalidBase64_Refused() =>
        AssertRefusedAsync("{\"input_data\": {\"columns\": [\"image\", \"text\"], \"data\": [[\"@@@@\", \"liver\"]]}}", "row 0, column 'image': not valid base64");

    [Fact]
    public Task Score_NonStringText_Refused() =>
        AssertRefusedAsync("{\"input_data\": {\"columns\": [\"image\", \"text\"], \"data\": [[\"" + Convert.ToBase64String(Png) + "\", 7]]}}",
            "row 0, column 'text': expected a string or null, got a number");

    [Fact]
    public Task Score_UnknownColumn_Refused() =>
        AssertRefusedAsync(ParseExpectations.Request([(Png, "liver")], columns: "[\"image\", \"prompt\"]"),
            "unknown column 'prompt'; MedImageParse accepts the columns: image, text");

    [Fact]
    public Task Score_TooManyRows_Refused() =>
        AssertRefusedAsync(ParseExpectations.Request(Enumerable.Repeat<(byte[]?, string?)>((Png, "liver"), 5)),
            "the request has 5 rows; the limit is 4 rows per request");

    [Fact]
    public Task Score_DetectionUnknownModality_Refused() =>
        AssertRefusedAsync(ParseExpectations.Request([(Png, "liver")], "{\"detection\": true, \"modality\": \"MRI-Knee\"}"),
            "param 'modality': unknown modality 'MRI-Knee'; this package knows: CT-Test, CT-Recog");

    [Fact]
    public Task Score_DetectionWithoutModality_Refused() =>
        AssertRefusedAsync(ParseExpectations.Request([(Png, "liver")], "{\"detection\": \"True\"}"),
            "param 'modality' is required with 'detection' (the image type, e.g. \"CT-Abdomen\")");

    [Fact]
    public Task Score_DetectionWithoutTargetDistributions_Refused() =>
        AssertRefusedAsync(ParseExpectations.Request([(Png, "liver")], "{\"detection\": true, \"modality\": \"CT-Test\"}"),
            "param 'detection' needs the target distributions (target_dist.json), which this model package does not have",
            "/endpoints/" + ParseServerFixture.NoDistributions + "/score");

    [Fact]
    public Task Score_RecognitionWithoutTargetDistributions_Refused() =>
        AssertRefusedAsync(ParseExpectations.Request([(Png, null)], "{\"recognition\": true, \"modality\": \"CT-Test\"}"),
            "param 'recognition' needs the target distributions (target_dist.json), which this model package does not have",
            "/endpoints/" + ParseServerFixture.NoDistributions + "/score");

    [Fact]
    public Task Score_RecognitionWithPrompts_Refused() =>
        AssertRefusedAsync(ParseExpectations.Request([(Png, "liver")], "{\"recognition\": true, \"modality\": \"CT-Recog\"}"),
            "row 0, column 'text': recognition segments every known target of the modality; leave the text empty");

    [Theory]
    [InlineData("{\"detection\": 3}", "param 'detection' must be true or false")]
    [InlineData("{\"auto_preprocess\": \"yes\"}", "param 'auto_preprocess' must be true or false")]
    [InlineData("{\"detection\": true, \"modality\": 5}", "param 'modality' must be a non-empty string")]
    [InlineData("{\"recognition\": true, \"modality\": \"CT-Recog\", \"p_value_threshold\": 1.5}", "param 'p_value_threshold' must be a number from 0 to 1")]
    [InlineData("{\"ct_window\": \"knee\"}", "param 'ct_window' must be one of: abdomen, lung, pelvis, liver, colon, pancreas")]
    [InlineData("{\"ct_window\": \"lung\", \"normalization\": \"minmax\"}", "params 'ct_window' and 'normalization' both choose the DICOM intensity mapping; send one")]
    [InlineData("{\"normalization\": \"gamma\"}", "param 'normalization': ")]
    public async Task Score_BadParams_Refused(string parameters, string messageStart)
    {
        var response = await server.PostAsync(ParseExpectations.Request([(Png, "liver")], parameters));
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.StartsWith(messageStart, JsonDocument.Parse(text).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync(ParseExpectations.Request([(Png, "liver")]))).StatusCode);
    }

    [Fact]
    public Task Score_CtWindowOnPng_Refused() =>
        AssertRefusedAsync(ParseExpectations.Request([(Png, "liver")], "{\"auto_preprocess\": true, \"ct_window\": \"Lung\"}"),
            "row 0, column 'image': param 'ct_window' needs a DICOM CT image (Hounsfield units); this is a PNG image");
}
