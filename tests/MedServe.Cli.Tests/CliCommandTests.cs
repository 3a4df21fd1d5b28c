using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using MedServe.Imaging;
using MedServe.Inference.Tokenization;
using MedServe.Models.Demo;
using MedServe.Models.MedImageInsight;
using MedServe.Testing;
using SkiaSharp;

namespace MedServe.Cli.Tests;

public sealed class CliCommandTests : IDisposable
{
    private const string Key = "cli-test-key-0123456789";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private string DemoPackage() => DemoPackages.WriteMedImageInsight(Path.Combine(_dir, "pkg", DemoPackages.MedImageInsightName));

    private string WriteFile(string name, string content)
    {
        Directory.CreateDirectory(_dir);
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task DemoPackagesOnly_WritesAPackageThatModelsCheckAccepts()
    {
        var (code, output, _) = await CliRunner.RunAsync("demo", "--packages-only", Path.Combine(_dir, "demo"));
        Assert.Equal(0, code);
        Assert.Contains("SYNTHETIC", output, StringComparison.Ordinal);
        string package = Path.Combine(_dir, "demo", "medimageinsight");
        Assert.True(File.Exists(Path.Combine(package, "medserve.json")));

        var check = await CliRunner.RunAsync("models", "check", package);
        Assert.Equal(0, check.ExitCode);
        Assert.Contains("package:  medimageinsight 0.1.0-synthetic (medimageinsight) — SYNTHETIC weights", check.Output, StringComparison.Ordinal);
        Assert.Contains("graph     image_encoder (image_encoder.onnx): signature ok", check.Output, StringComparison.Ordinal);
        Assert.Contains("in  pixel_values float32[batch,3,480,480]", check.Output, StringComparison.Ordinal);
        Assert.Contains("valid: every checksum and graph signature matches the manifest", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelsCheck_TamperedGraph_ExitsOneNamingTheFile()
    {
        string package = DemoPackage();
        File.AppendAllBytes(Path.Combine(package, "text_encoder.onnx"), [0]);
        var (code, output, error) = await CliRunner.RunAsync("models", "check", package);
        Assert.Equal(1, code);
        Assert.Contains("CHECKSUM MISMATCH", output, StringComparison.Ordinal);
        Assert.Contains("invalid: 1 problem(s)", error, StringComparison.Ordinal);
        Assert.Contains("- text_encoder.onnx: SHA-256 is ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenizeModelJson_PrintsIdsMaskAndTruncation()
    {
        string package = DemoPackage();
        var (code, output, _) = await CliRunner.RunAsync("tokenize", "--model", package, "--json", "x-ray chest anteroposterior Atelectasis.");
        Assert.Equal(0, code);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(output);
        var ids = json.RootElement.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var mask = json.RootElement.GetProperty("attention_mask").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var tokenizer = ClipTokenizer.FromOpenAiMerges(Path.Combine(package, "tokenizer", "demo_bpe_vocab.txt.gz"));
        var expected = tokenizer.EncodeForModel("x-ray chest anteroposterior Atelectasis.");
        Assert.Equal(expected.InputIds, ids);
        Assert.Equal(expected.AttentionMask, mask);
        Assert.Equal(77, ids.Length);
        Assert.Equal(expected.EosIndex, json.RootElement.GetProperty("eos_index").GetInt32());
        Assert.False(json.RootElement.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task TokenizeRealVocab_MatchesClipIds()
    {
        string? vocab = SharedTestData.File("clip/bpe_simple_vocab_16e6.txt.gz");
        Assert.SkipWhen(vocab is null, SharedTestData.MissingReason);
        var (code, output, _) = await CliRunner.RunAsync("tokenize", "--vocab", vocab!, "--json", "How are you doing?");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var ids = json.RootElement.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        Assert.Equal([49406, 829, 631, 592, 1960, 286, 49407, 49407], ids[..8]);
        Assert.All(ids[6..], id => Assert.Equal(49407, id));
        Assert.Equal(6, json.RootElement.GetProperty("eos_index").GetInt32());
    }

    [Fact]
    public async Task TokenizeHuggingFaceVocab_LongText_ReportsTruncation()
    {
        Directory.CreateDirectory(_dir);
        string vocab = Path.Combine(_dir, "vocab.json");
        ClipVocabularyBuilder.WriteHuggingFace(ClipVocabularyBuilder.LearnMerges(200), vocab, Path.Combine(_dir, "merges.txt"));
        string text = string.Join(' ', Enumerable.Range(0, 120).Select(i => $"w{i}"));
        var (code, output, _) = await CliRunner.RunAsync("tokenize", "--vocab", vocab, text);
        Assert.Equal(0, code);
        Assert.Contains("truncated:      yes", output, StringComparison.Ordinal);
        Assert.Contains("eos_index:      76", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokenize_BothModelAndVocab_IsAUsageError()
    {
        var (code, _, error) = await CliRunner.RunAsync("tokenize", "--model", "a", "--vocab", "b", "text");
        Assert.Equal(2, code);
        Assert.Contains("exactly one of --model DIR or --vocab FILE", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenizeHuggingFaceVocab_WithoutMerges_Fails()
    {
        string vocab = WriteFile("vocab.json", "{}");
        var (code, _, error) = await CliRunner.RunAsync("tokenize", "--vocab", vocab, "text");
        Assert.Equal(1, code);
        Assert.Contains("needs merges.txt beside it", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preprocess_WritesTheExactEncoderInputAsNpy()
    {
        string package = DemoPackage();
        string image = Path.Combine(_dir, "image.png");
        using (var bitmap = new SKBitmap(40, 30))
        {
            for (int y = 0; y < 30; y++)
            {
                for (int x = 0; x < 40; x++)
                {
                    bitmap.SetPixel(x, y, new SKColor((byte)(x * 6), (byte)(y * 8), 77));
                }
            }

            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(image, data.ToArray());
        }

        string npy = Path.Combine(_dir, "x.npy");
        var (code, output, error) = await CliRunner.RunAsync("preprocess", "--model", package, "--image", image, "--out", npy);
        Assert.True(code == 0, error);
        Assert.Contains("float32 [1, 3, 480, 480] from a 40×30 Png image", output, StringComparison.Ordinal);

        byte[] bytes = File.ReadAllBytes(npy);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Contains("'shape': (1, 3, 480, 480)", Encoding.ASCII.GetString(bytes, 10, headerLength), StringComparison.Ordinal);
        var preprocessor = new MedImageInsightPreprocessor(MedImageInsightDefaults.Preprocessing);
        float[] expected = new float[preprocessor.TensorLength];
        preprocessor.Process(ImageDecoder.Decode(File.ReadAllBytes(image), ImageDecodeOptions.Default), 512, 75, expected);
        Assert.Equal(10 + headerLength + (expected.Length * 4), bytes.Length);
        for (int i = 0; i < expected.Length; i += 997)
        {
            Assert.Equal(expected[i], BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(10 + headerLength + (i * 4))));
        }
    }

    [Fact]
    public async Task Preprocess_ImageThatIsNotAnImage_FailsWithReason()
    {
        string package = DemoPackage();
        string image = WriteFile("not-an-image.png", "hello");
        var (code, _, error) = await CliRunner.RunAsync("preprocess", "--model", package, "--image", image, "--out", Path.Combine(_dir, "x.npy"));
        Assert.Equal(1, code);
        Assert.Contains("cannot decode the image: not a PNG, JPEG or DICOM image", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeAndInvoke_ScoreThroughTheCli()
    {
        string package = DemoPackage();
        await using var server = await CliRunner.StartAsync("serve", package, "--port", "0", "--primary-key", Key, "--secondary-key", Key + "-2");
        Assert.Contains($"Key:          {Key}", server.Output, StringComparison.Ordinal);
        string request = WriteFile("request.json", """{"input_data": {"columns": ["text"], "index": [0], "data": [["chest x-ray"]]}, "params": "sitk"}""");
        string url = new Uri(server.Address, "/score").ToString();

        var ok = await CliRunner.RunAsync("invoke", "--url", url, "--key", Key, "--request-file", request, "--deployment-name", "medimageinsight");
        Assert.True(ok.ExitCode == 0, ok.Output + ok.Error);
        using var json = JsonDocument.Parse(ok.Output);
        Assert.Equal(1024, json.RootElement[0].GetProperty("text_features").GetArrayLength());

        var denied = await CliRunner.RunAsync("invoke", "--url", url, "--key", "wrong-key-0123456789", "--request-file", request);
        Assert.Equal(1, denied.ExitCode);
        Assert.Contains("{\"message\":\"invalid key\"}", denied.Output, StringComparison.Ordinal);
        Assert.Contains("error: the endpoint answered 401", denied.Error, StringComparison.Ordinal);

        Assert.Equal(0, await server.StopAsync());
    }

    [Fact]
    public async Task ServeConfigFile_ServesItsPackagesWithItsKeys()
    {
        string package = DemoPackage();
        string config = WriteFile("server.json", $$"""
            {
              // comments are allowed
              "port": 0,
              "primary_key": "{{Key}}",
              "secondary_key": "{{Key}}-second",
              "packages": ["pkg/medimageinsight"]
            }
            """);
        await using var server = await CliRunner.StartAsync("serve", "--config", config);
        using var client = new HttpClient();
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Address, "/endpoints/medimageinsight/score"))
        {
            Content = new StringContent("""{"input_data": {"columns": ["text"], "data": [["lung"]]}}""", Encoding.UTF8, "application/json"),
        };
        message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key + "-second");
        var response = await client.SendAsync(message, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ServeConfigFile_UnknownKey_IsAUsageError()
    {
        string config = WriteFile("server.json", """{"prot": 5000}""");
        var (code, _, error) = await CliRunner.RunAsync("serve", "--config", config);
        Assert.Equal(2, code);
        Assert.Contains("cannot read config file", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_RefusedPackage_ExitsOneListingProblems()
    {
        string package = DemoPackage();
        File.Delete(Path.Combine(package, "image_encoder.onnx"));
        var (code, _, error) = await CliRunner.RunAsync("serve", package, "--port", "0");
        Assert.Equal(1, code);
        Assert.Contains("- image_encoder.onnx: missing", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--dicom-workers", "0", "the number of DICOM workers must be from 1 to 256")]
    [InlineData("--dicom-timeout-seconds", "0", "the DICOM decode time limit must be more than 0 and at most 600 seconds")]
    public async Task Serve_BadDicomOption_IsAUsageError(string option, string value, string message)
    {
        var (code, _, error) = await CliRunner.RunAsync("serve", "whatever", option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_NoPackages_IsAUsageError()
    {
        var (code, _, error) = await CliRunner.RunAsync("serve", "--port", "0");
        Assert.Equal(2, code);
        Assert.Contains("at least one model package folder", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_ShortKey_IsAUsageError()
    {
        var (code, _, error) = await CliRunner.RunAsync("serve", "whatever", "--primary-key", "short");
        Assert.Equal(2, code);
        Assert.Contains("the primary key must be at least 16 characters", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_StartsAndPrintsUrlKeyAndCurl()
    {
        await using var server = await CliRunner.StartAsync("demo", "--port", "0");
        string output = server.Output;
        Assert.Contains("SYNTHETIC weights", output, StringComparison.Ordinal);
        Assert.Contains($"Scoring URL:  {server.Address.ToString().TrimEnd('/')}/score", output, StringComparison.Ordinal);
        Assert.Contains("curl -s ", output, StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer ", output, StringComparison.Ordinal);
        Assert.Equal(0, await server.StopAsync());
    }

    [Fact]
    public async Task UnknownOption_IsAUsageError()
    {
        var (code, _, error) = await CliRunner.RunAsync("models", "check", "one", "two");
        Assert.Equal(2, code);
        Assert.Contains("error: Unrecognized command or argument 'two'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelsCheck_PackageTheModelRefuses_ExitsOne()
    {
        string package = DemoPackage();
        string manifest = Path.Combine(package, "medserve.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"context_length\": 77", "\"context_length\": 64", StringComparison.Ordinal));
        var (code, _, error) = await CliRunner.RunAsync("models", "check", package);
        Assert.Equal(1, code);
        Assert.Contains("tokenizer.context_length is 64", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_RelativeUrl_IsAUsageError()
    {
        var (code, _, error) = await CliRunner.RunAsync("invoke", "--url", "localhost/score", "--request-file", "r.json");
        Assert.Equal(2, code);
        Assert.Contains("--url must be an absolute http or https URL", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_NothingListening_FailsWithReason()
    {
        string request = WriteFile("request.json", "{}");
        var (code, _, error) = await CliRunner.RunAsync("invoke", "--url", "http://127.0.0.1:9/score", "--key", "k", "--request-file", request);
        Assert.Equal(1, code);
        Assert.Contains("error: cannot reach http://127.0.0.1:9/score", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_MissingRequestFile_IsAUsageError()
    {
        var (code, _, error) = await CliRunner.RunAsync("invoke", "--url", "http://127.0.0.1:9/score", "--key", "k", "--request-file", Path.Combine(_dir, "nope.json"));
        Assert.Equal(2, code);
        Assert.Contains("cannot read request file", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DicomInfo_SharedCt_PrintsTheDecodingFacts()
    {
        string? path = SharedTestData.File("dicom/CT_small.dcm");
        Assert.SkipWhen(path is null, SharedTestData.MissingReason);
        var (code, output, error) = await CliRunner.RunAsync("dicom-info", path!);
        Assert.True(code == 0, error);
        Assert.Contains("transfer syntax:    1.2.840.10008.1.2.1", output, StringComparison.Ordinal);
        Assert.Contains("modality:           CT", output, StringComparison.Ordinal);
        Assert.Contains("size:               128 × 128, 1 frame(s), 1 sample(s) per pixel", output, StringComparison.Ordinal);
        Assert.Contains("bits:               allocated 16, stored 16, signed", output, StringComparison.Ordinal);
        Assert.Contains("rescale:            slope 1, intercept -1024", output, StringComparison.Ordinal);
        // No identifier from the file: CT_small carries a patient name and IDs.
        Assert.DoesNotContain("CompressedSamples", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task DicomInfoJson_HandBuiltFile_ReportsGeometryAndPhotometric()
    {
        string path = Path.Combine(_dir, "tiny.dcm");
        Directory.CreateDirectory(_dir);
        File.WriteAllBytes(path, MinimalDicom.Image(3, 5, "MONOCHROME1", new byte[16]));
        var (code, output, error) = await CliRunner.RunAsync("dicom-info", path, "--json");
        if (code != 0 && error.Contains("libgdcm-cil", StringComparison.Ordinal))
        {
            Assert.Skip("needs GDCM's C# binding (Debian package libgdcm-cil)");
        }

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(3, json.RootElement.GetProperty("rows").GetInt32());
        Assert.Equal(5, json.RootElement.GetProperty("columns").GetInt32());
        Assert.Equal("MONOCHROME1", json.RootElement.GetProperty("photometric_interpretation").GetString());
        Assert.Equal("OT", json.RootElement.GetProperty("modality").GetString());
    }

    [Fact]
    public async Task DicomInfo_NotDicom_ExitsOne()
    {
        string path = WriteFile("plain.txt", "hello");
        var (code, _, error) = await CliRunner.RunAsync("dicom-info", path);
        Assert.Equal(1, code);
        Assert.Contains("is not a DICOM file", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreprocessDicom_EqualsPreprocessOfThePngOfTheRenderedValues()
    {
        string package = DemoPackage();
        // 4 × 4 stored values 0..240 step 16: minmax maps v → floor(v/240·255).
        byte[] pixels = [.. Enumerable.Range(0, 16).Select(i => (byte)(i * 16))];
        string dicom = Path.Combine(_dir, "tiny.dcm");
        File.WriteAllBytes(dicom, MinimalDicom.Image(4, 4, "MONOCHROME2", pixels));
        string npy = Path.Combine(_dir, "dicom.npy");
        var (code, output, error) = await CliRunner.RunAsync("preprocess", "--model", package, "--image", dicom, "--out", npy, "--normalization", "minmax");
        if (code != 0 && error.Contains("libgdcm-cil", StringComparison.Ordinal))
        {
            Assert.Skip("needs GDCM's C# binding (Debian package libgdcm-cil)");
        }

        Assert.True(code == 0, error);
        Assert.Contains("from a 4×4 Dicom image", output, StringComparison.Ordinal);

        string png = Path.Combine(_dir, "same.png");
        using (var bitmap = new SKBitmap(new SKImageInfo(4, 4, SKColorType.Gray8, SKAlphaType.Opaque)))
        {
            for (int i = 0; i < 16; i++)
            {
                byte v = (byte)(i * 16 * 255 / 240);
                bitmap.SetPixel(i % 4, i / 4, new SKColor(v, v, v));
            }

            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(png, data.ToArray());
        }

        string pngNpy = Path.Combine(_dir, "png.npy");
        Assert.Equal(0, (await CliRunner.RunAsync("preprocess", "--model", package, "--image", png, "--out", pngNpy)).ExitCode);
        Assert.Equal(File.ReadAllBytes(pngNpy), File.ReadAllBytes(npy));
    }

    [Fact]
    public async Task Preprocess_BadNormalization_IsAUsageError()
    {
        var (code, _, error) = await CliRunner.RunAsync("preprocess", "--model", "m", "--image", "i", "--out", "o", "--normalization", "ct:knee");
        Assert.Equal(2, code);
        Assert.Contains("unknown CT site", error, StringComparison.Ordinal);
    }
}
