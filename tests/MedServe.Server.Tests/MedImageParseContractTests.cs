using System.Net;
using System.Text.Json;
using MedServe.Models.MedImageParse;
using MedServe.Onnx.Synthetic;
using SkiaSharp;

namespace MedServe.Server.Tests;

/// <summary>
/// MedImageParse through the real server (shared/CONTRACTS.md §3): the hosted request shape, the wire
/// format decoded as a Python client decodes it, and every mask checked pixel by pixel against an
/// independent reference of the synthetic decoder, so a wrong query, resize, transposition or threshold fails.
/// </summary>
public sealed class MedImageParseContractTests(ParseServerFixture server) : IClassFixture<ParseServerFixture>
{
    private static readonly SKColor Orange = new(200, 100, 50);

    private static async Task<JsonElement> ArrayAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal(JsonValueKind.Array, root.ValueKind);
        return root.Clone();
    }

    private static string Category(int query) => MedImageParseCategories.Names[SyntheticMedImageParse.ExpectedCategoryIndex(query)];

    [Fact]
    public async Task Score_OnePromptNonSquareImage_MaskIsTheQueryRectangleStretchedBackToTheImage()
    {
        // 40 wide, 24 high: the image is stretched to 32² for the model and the mask resized to 24×40,
        // so a transposed or square mask cannot match.
        byte[] png = ParseExpectations.Png(40, 24, Orange);
        var rows = await ArrayAsync(await server.PostAsync(ParseExpectations.Request([(png, "liver")])));

        var row = Assert.Single(rows.EnumerateArray());
        var (masks, count, height, width) = ParseExpectations.DecodeMasks(row);
        Assert.Equal((1, 24, 40), (count, height, width));
        int query = server.QueryOf("liver");
        ParseExpectations.Close(ParseExpectations.RectangleMask(query, 24, 40), masks);
        Assert.Equal([Category(query)], ParseExpectations.Names(row));
        Assert.Equal(["image_features", "text_features"], row.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Contains(masks, v => v > 127);
        Assert.Contains(masks, v => v < 128);
    }

    [Fact]
    public async Task Score_ThreePromptsSpacedAndTrimmed_OneMaskAndCategoryPerPromptInOrder()
    {
        byte[] png = ParseExpectations.Png(64, 64, Orange);
        var rows = await ArrayAsync(await server.PostAsync(ParseExpectations.Request([(png, "  lung&liver &  kidney ")])));

        var (masks, count, height, width) = ParseExpectations.DecodeMasks(rows[0]);
        Assert.Equal((3, 64, 64), (count, height, width));
        string[] prompts = ["lung", "liver", "kidney"];
        for (int i = 0; i < 3; i++)
        {
            int query = server.QueryOf(prompts[i]);
            ParseExpectations.Close(ParseExpectations.RectangleMask(query, 64, 64), masks.AsSpan(i * 64 * 64, 64 * 64));
        }

        Assert.Equal(prompts.Select(p => Category(server.QueryOf(p))).ToArray(), ParseExpectations.Names(rows[0]));
    }

    [Fact]
    public async Task Score_SeveralRows_EachRowHasItsOwnImageGeometryInInputOrder()
    {
        string body = ParseExpectations.Request(
        [
            (ParseExpectations.Png(30, 50, Orange), "kidney"),
            (ParseExpectations.Png(64, 64, SKColors.Gray), "liver & lung"),
        ]);
        var rows = await ArrayAsync(await server.PostAsync(body));

        Assert.Equal(2, rows.GetArrayLength());
        var first = ParseExpectations.DecodeMasks(rows[0]);
        Assert.Equal((1, 50, 30), (first.Count, first.Height, first.Width));
        ParseExpectations.Close(ParseExpectations.RectangleMask(server.QueryOf("kidney"), 50, 30), first.Masks);
        var second = ParseExpectations.DecodeMasks(rows[1]);
        Assert.Equal((2, 64, 64), (second.Count, second.Height, second.Width));
        ParseExpectations.Close(ParseExpectations.RectangleMask(server.QueryOf("lung"), 64, 64), second.Masks.AsSpan(64 * 64));
    }

    [Fact]
    public async Task Score_WireFormat_IsAJsonStringWithPythonSpacingAndUnescapedBase64()
    {
        byte[] png = ParseExpectations.Png(16, 16, Orange);
        var response = await server.PostAsync(ParseExpectations.Request([(png, "liver")]));
        string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.StartsWith("[{\"image_features\":\"{\\\"data\\\": \\\"", body, StringComparison.Ordinal);
        Assert.Contains("\\\", \\\"shape\\\": [1, 16, 16], \\\"dtype\\\": \\\"uint8\\\"}\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u00", body, StringComparison.Ordinal);
        var row = (await ArrayAsync(response))[0];
        Assert.Equal(256, ParseExpectations.DecodeMasks(row).Masks.Length);
    }

    [Fact]
    public async Task Score_PythonClientDecoding_ReadsTheSameMasks()
    {
        // The official client's decoding, in Python itself (standard library only): json.loads of the
        // string, base64 of data, the raw bytes in C order.
        string? python = new[] { "/usr/bin/python3", "/usr/local/bin/python3" }.FirstOrDefault(File.Exists);
        Assert.SkipWhen(python is null, "needs python3 to run the Python client's decoding");
        byte[] png = ParseExpectations.Png(24, 16, Orange);
        var response = await server.PostAsync(ParseExpectations.Request([(png, "liver & kidney")]));
        string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        string file = Path.Combine(Path.GetTempPath(), "medserve-parse-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(file, body, TestContext.Current.CancellationToken);
        try
        {
            const string Script = "import base64, json, sys\n"
                + "row = json.load(open(sys.argv[1]))[0]\n"
                + "meta = json.loads(row['image_features'])\n"
                + "data = base64.b64decode(meta['data'])\n"
                + "n, h, w = meta['shape']\n"
                + "assert meta['dtype'] == 'uint8' and len(data) == n * h * w\n"
                + "print(n, h, w, ','.join(str(sum(data[i * h * w:(i + 1) * h * w])) for i in range(n)), '|'.join(row['text_features']))\n";
            var start = new System.Diagnostics.ProcessStartInfo(python!) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(Script);
            start.ArgumentList.Add(file);
            using var process = System.Diagnostics.Process.Start(start)!;
            string output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            string error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(process.ExitCode == 0, error);

            // The same numbers from the C# decoding of the same body (itself checked pixel by pixel elsewhere).
            var (masks, _, _, _) = ParseExpectations.DecodeMasks(JsonDocument.Parse(body).RootElement[0]);
            string sums = string.Join(",", Enumerable.Range(0, 2).Select(i => masks.AsSpan(i * 16 * 24, 16 * 24).ToArray().Sum(v => (long)v)));
            string names = string.Join("|", new[] { "liver", "kidney" }.Select(p => Category(server.QueryOf(p))));
            Assert.Equal($"2 16 24 {sums} {names}", output.Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Score_ImageQuery_MaskFollowsTheBrightRectangleDrawnInTheImage()
    {
        var box = new SKRectI(16, 20, 48, 44);
        byte[] png = ParseExpectations.Png(64, 64, SKColors.Black, box, SKColors.White);
        var (masks, _, _, width) = ParseExpectations.DecodeMasks((await ArrayAsync(await server.PostAsync(ParseExpectations.Request([(png, ParseServerFixture.BrightPrompt)]))))[0]);

        AssertFollowsBox(masks, width, 64, box, margin: 3);
    }

    [Fact]
    public async Task Score_AutoPreprocessWidePng_DrawnRectangleComesBackInPlace()
    {
        // 96×60: padded with 18 black rows above and below to 96², resized to 32², masks mapped back to 96×60.
        var box = new SKRectI(20, 15, 50, 40);
        byte[] png = ParseExpectations.Png(96, 60, SKColors.Black, box, SKColors.White);
        var rows = await ArrayAsync(await server.PostAsync(ParseExpectations.Request([(png, ParseServerFixture.BrightPrompt)], "{\"auto_preprocess\": true}")));

        var (masks, count, height, width) = ParseExpectations.DecodeMasks(rows[0]);
        Assert.Equal((1, 60, 96), (count, height, width));
        AssertFollowsBox(masks, width, height, box, margin: 5);
    }

    [Theory]
    [InlineData(48, 30, 48, 48, 9, 0)]
    [InlineData(47, 30, 46, 47, 8, 0)]
    [InlineData(30, 47, 47, 46, 0, 8)]
    public async Task Score_AutoPreprocessRectangleQuery_MaskIsTheCropOfThePaddedGeometry(int width, int height, int paddedHeight, int paddedWidth, int top, int left)
    {
        // The toolkit pads (long − short) // 2 on each side, so an odd difference leaves the padded image one
        // pixel short of square; the mask covers that padded geometry and is cropped back to the image.
        byte[] png = ParseExpectations.Png(width, height, Orange);
        var rows = await ArrayAsync(await server.PostAsync(ParseExpectations.Request([(png, "liver")], "{\"auto_preprocess\": \"true\"}")));

        var (masks, _, h, w) = ParseExpectations.DecodeMasks(rows[0]);
        Assert.Equal((height, width), (h, w));
        ParseExpectations.Close(ParseExpectations.RectangleMask(server.QueryOf("liver"), paddedHeight, paddedWidth, top, left, height, width), masks);
    }

    [Fact]
    public async Task Score_Detection_PValuesMatchHandComputedBetaTestsAndNullForUnknownTarget()
    {
        // 32×32 = the mask size: the resize is the identity, so the mask is sigmoid(±8) exactly and the
        // statistics are [sigmoid(8)·255/256, 200/256, 100/256, 50/256].
        byte[] png = ParseExpectations.Png(32, 32, Orange);
        string body = ParseExpectations.Request([(png, "liver & kidney & lung")], "{\"detection\": true, \"modality\": \"CT-Test\"}");
        var row = (await ArrayAsync(await server.PostAsync(body)))[0];

        double m = 255.0 / (1.0 + Math.Exp(-8.0)) / 256.0;
        double r = 200 / 256.0, g = 100 / 256.0, b = 50 / 256.0;
        // liver: four Beta(1, 1), F(x) = x.
        double liver = Math.Pow(ParseExpectations.KsPValue(m) * ParseExpectations.KsPValue(r) * ParseExpectations.KsPValue(g) * ParseExpectations.KsPValue(b), 0.25);
        // kidney: Beta(2,1) F = x², Beta(1,2) F = 1 − (1 − x)², Beta(2,2) F = 3x² − 2x³, Beta(1,1) F = x.
        double kidney = Math.Pow(
            ParseExpectations.KsPValue(m * m) * ParseExpectations.KsPValue(1 - ((1 - r) * (1 - r)))
            * ParseExpectations.KsPValue((3 * g * g) - (2 * g * g * g)) * ParseExpectations.KsPValue(b), 0.25);
        var pValues = row.GetProperty("p_values");
        Assert.Equal(3, pValues.GetArrayLength());
        Assert.Equal(liver, pValues[0].GetDouble(), 1e-6);
        Assert.Equal(kidney, pValues[1].GetDouble(), 1e-6);
        Assert.Equal(JsonValueKind.Null, pValues[2].ValueKind);
        var reasons = row.GetProperty("p_value_reasons");
        Assert.Equal(JsonValueKind.Null, reasons[0].ValueKind);
        Assert.Equal(JsonValueKind.Null, reasons[1].ValueKind);
        Assert.Equal("no distribution for 'lung' in modality 'CT-Test'", reasons[2].GetString());
        Assert.Equal(3, ParseExpectations.DecodeMasks(row).Count);
    }

    [Fact]
    public async Task Score_DetectionOnAnEmptyMask_PValueIsZero()
    {
        // The image query follows the red channel: red 60 normalises to −1.09, logits ≈ −4.4, probability
        // ≈ 0.013: nothing reaches 128, so its statistics are zero and its p-value 0. liver's rectangle on
        // the same (60, 200, 200) image has non-zero statistics and a positive p-value.
        byte[] png = ParseExpectations.Png(32, 32, new SKColor(60, 200, 200));
        const string Dist = "{\"detection\": true, \"modality\": \"CT-Test\"}";
        var row = (await ArrayAsync(await server.PostAsync(ParseExpectations.Request([(png, ParseServerFixture.BrightPrompt + " & liver")], Dist))))[0];

        Assert.Equal(0.0, row.GetProperty("p_values")[0].GetDouble());
        Assert.True(row.GetProperty("p_values")[1].GetDouble() > 0);
        Assert.All(ParseExpectations.DecodeMasks(row).Masks.AsSpan(0, 32 * 32).ToArray(), v => Assert.True(v < 128));
    }

    [Fact]
    public async Task Score_Recognition_KeepsPassingTargetsDropsTheOverlappingWorseOneAndTheFailingOne()
    {
        // CT-Recog: "liver left" and "liver right" share liver's query (the same mask); right has the lower
        // p-value and is suppressed. kidney's Beta(1, 50) puts its p-value near 0 (< 0.05). lung passes.
        byte[] png = ParseExpectations.Png(32, 32, Orange);
        var row = (await ArrayAsync(await server.PostAsync(ParseExpectations.Request([(png, null)], "{\"recognition\": true, \"modality\": \"CT-Recog\"}"))))[0];

        Assert.Equal(["liver left", "lung"], ParseExpectations.Names(row));
        var (masks, count, _, _) = ParseExpectations.DecodeMasks(row);
        Assert.Equal(2, count);
        string[] targets = ["liver", "lung"];
        for (int k = 0; k < 2; k++)
        {
            // Binary masks: 255 where the target won the pixel (probability > 0.5), else 0.
            byte[] expected = [.. ParseExpectations.RectangleMask(server.QueryOf(targets[k]), 32, 32).Select(v => v > 127 ? (byte)255 : (byte)0)];
            Assert.Equal(expected, masks.AsSpan(k * 32 * 32, 32 * 32).ToArray());
        }

        double m = 255.0 / (1.0 + Math.Exp(-8.0)) / 256.0;
        double p = Math.Pow(ParseExpectations.KsPValue(m) * ParseExpectations.KsPValue(200 / 256.0) * ParseExpectations.KsPValue(100 / 256.0) * ParseExpectations.KsPValue(50 / 256.0), 0.25);
        Assert.Equal(p, row.GetProperty("p_values")[0].GetDouble(), 1e-6);
        Assert.Equal(p, row.GetProperty("p_values")[1].GetDouble(), 1e-6);
        Assert.False(row.TryGetProperty("p_value_reasons", out _));
    }

    [Fact]
    public async Task Score_RecognitionThresholdZero_KeepsTheFailingTargetToo()
    {
        byte[] png = ParseExpectations.Png(32, 32, Orange);
        var row = (await ArrayAsync(await server.PostAsync(ParseExpectations.Request([(png, "")], "{\"recognition\": true, \"modality\": \"CT-Recog\", \"p_value_threshold\": 0}"))))[0];

        // Kept, in BiomedParse's order: by p-value, highest first (stable), so kidney's near-zero p comes last.
        Assert.Equal(["liver left", "lung", "kidney"], ParseExpectations.Names(row));
        Assert.True(row.GetProperty("p_values")[2].GetDouble() < 0.05);
    }

    [Fact]
    public async Task Score_EndpointRoute_ServesTheSameModel()
    {
        byte[] png = ParseExpectations.Png(20, 20, Orange);
        var response = await server.PostAsync(ParseExpectations.Request([(png, "kidney")]), "/endpoints/medimageparse/score");

        var rows = await ArrayAsync(response);
        Assert.Equal("medimageparse", response.Headers.GetValues("azureml-model-deployment").Single());
        Assert.Equal("true", response.Headers.GetValues("x-medserve-synthetic-model").Single());
        ParseExpectations.Close(ParseExpectations.RectangleMask(server.QueryOf("kidney"), 20, 20), ParseExpectations.DecodeMasks(rows[0]).Masks);
    }

    [Fact]
    public async Task Swagger_ParseEndpoint_DescribesItsColumnsParamsAndStringMasks()
    {
        var response = await server.Client.GetAsync("/endpoints/medimageparse/swagger.json", TestContext.Current.CancellationToken);
        string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var doc = JsonDocument.Parse(body);
        string text = doc.RootElement.ToString();
        foreach (string name in new[] { "auto_preprocess", "ct_window", "detection", "recognition", "modality", "p_value_threshold" })
        {
            Assert.Contains($"\"{name}\"", text, StringComparison.Ordinal);
        }

        Assert.Contains("\"/endpoints/medimageparse/score\"", text, StringComparison.Ordinal);
        Assert.Contains("JSON text {\\\"data\\\"", text, StringComparison.Ordinal);
    }

    private static void AssertFollowsBox(byte[] masks, int width, int height, SKRectI box, int margin)
    {
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                byte value = masks[(y * width) + x];
                bool deepInside = x >= box.Left + margin && x < box.Right - margin && y >= box.Top + margin && y < box.Bottom - margin;
                bool farOutside = x < box.Left - margin || x >= box.Right + margin || y < box.Top - margin || y >= box.Bottom + margin;
                if (deepInside)
                {
                    Assert.True(value >= 128, $"({x}, {y}) inside the drawn box is {value}");
                }
                else if (farOutside)
                {
                    Assert.True(value < 128, $"({x}, {y}) outside the drawn box is {value}");
                }
            }
        }
    }
}
