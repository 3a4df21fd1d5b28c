using System.Text.Encodings.Web;
using System.Text.Json;
using MedServe.Cli.Commands;
using MedServe.Imaging;
using MedServe.Imaging.Overlays;
using MedServe.Testing;

namespace MedServe.Cli.Tests;

public sealed class RenderCommandTests : IDisposable
{
    private const string DejaVu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    private const string MissingFontReason = "needs DejaVuSans.ttf (Debian package fonts-dejavu-core), which eng/install-deps.sh installs";
    private const string Unknown = "not a MedImageParse or CXRReportGen response";
    private const int W = 16;
    private const int H = 12;

    private static readonly OverlayColor Red = OverlayPalette.Colors[0];
    private static readonly OverlayColor Green = OverlayPalette.Colors[1];

    private readonly string _dir = Directory.CreateTempSubdirectory("medserve-render-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string> MalformedResponses => new()
    {
        { "{", "the response is not valid JSON (line 1" },
        { """{"image_features": "x"}""", Unknown + ": a scoring response is a JSON array with one object per input row, not an object" },
        { "[]", "the response is an empty array: it has no rows to draw" },
        { """[{"image_features": [[0.1, 0.2]], "text_features": [0.3, 0.4]}]""", Unknown + " (a MedImageParse row has a string 'image_features' and a list 'text_features', a CXRReportGen row a string 'output')" },
        { """[{"output": 7}]""", Unknown },
        { """[{"image_features": "{", "text_features": ["liver"]}]""", "row 0, image_features: does not hold valid JSON (line 1" },
        { Response(Row("[1, 2]")), "row 0, image_features: holds a list, not an object with 'data', 'shape' and 'dtype'" },
        { Response(Row("""{"data": "AA==", "shape": [1, 1, 1]}""")), "row 0, image_features: 'dtype' is missing" },
        { Response(Row(Features(1, 4, 4, new byte[16], dtype: "float32"))), "row 0, image_features: 'dtype' is 'float32'; masks are 'uint8' (probability × 255)" },
        { Response(Row("""{"data": "AA==", "shape": [1, 1, 1], "dtype": 8}""")), "row 0, image_features: 'dtype' is a number, not a string" },
        { Response(Row("""{"data": "AA==", "dtype": "uint8"}""")), "row 0, image_features: 'shape' is missing" },
        { Response(Row("""{"data": "AA==", "shape": [1, 1], "dtype": "uint8"}""")), "row 0, image_features: 'shape' must be 3 integers [N, H, W] (N at least 0, H and W at least 1)" },
        { Response(Row("""{"data": "", "shape": [0, 1, 1], "dtype": "uint8"}""")), "row 0: 'image_features' holds no masks (shape [0, 1, 1]); there is nothing to draw" },
        { Response(Row("""{"data": "AA==", "shape": [1, 1.5, 1], "dtype": "uint8"}""")), "row 0, image_features: 'shape' must be 3 integers [N, H, W] (N at least 0, H and W at least 1)" },
        { Response(Row("""{"data": "AA==", "shape": [1, "1", 1], "dtype": "uint8"}""")), "row 0, image_features: 'shape' must be 3 integers [N, H, W] (N at least 0, H and W at least 1)" },
        { Response(Row("""{"data": "AA==", "shape": {"n": 1}, "dtype": "uint8"}""")), "row 0, image_features: 'shape' is an object, not a list" },
        { Response(Row("""{"shape": [1, 1, 1], "dtype": "uint8"}""")), "row 0, image_features: 'data' is missing" },
        { Response(Row("""{"data": "A*A=", "shape": [1, 1, 1], "dtype": "uint8"}""")), "row 0, image_features: 'data' is not valid base64" },
        { Response(Row(Features(1, 4, 4, new byte[15]))), "row 0, image_features: 'data' holds 15 bytes, but shape [1, 4, 4] needs 16" },
        { Response(Row(Features(2, 4, 4, new byte[32]), """["liver"]""")), "row 0: 'text_features' has 1 name, but 'image_features' has 2 masks" },
        { Response(Row(Features(1, 4, 4, new byte[16]), """[3]""")), "row 0: 'text_features' item 0 is a number, not a string" },
        { Response(Row(Features(1, 4, 4, new byte[16]), """["liver"]""", """, "p_values": [0.1, 0.2]""")), "row 0: 'p_values' must be a list of one number or null per mask (1)" },
        { Response(Row(Features(1, 4, 4, new byte[16]), """["liver"]""", """, "p_values": ["0.1"]""")), "row 0: 'p_values' item 0 is a string, not a number or null" },
    };

    public static TheoryData<string, string> MalformedRequests => new()
    {
        { "{", "error: the request file: the request body is not valid JSON" },
        { """{"input_data": {"columns": ["image"], "data": [[""]]}}""", "error: the request file: the request has no 'text' column" },
        { """{"input_data": {"columns": ["image", "text"], "data": []}}""", "error: the request file: the request has 0 rows, so no row 0" },
        { """{"input_data": {"columns": ["image", "text"], "data": [["", 5]]}}""", "error: the request file: row 0, column 'text'" },
        { """{"input_data": {"columns": ["image", "text"], "data": [["", "liver & "]]}}""", "error: the request file: row 0, column 'text': prompt 2 of 2 is empty" },
    };

    [Fact]
    public async Task Render_MedImageParseResponse_WritesTheOverlayPng()
    {
        var (response, image) = TwoMaskScene();
        string png = Path.Combine(_dir, "overlay.png");

        var (code, output, error) = await CliRunner.RunAsync("render", "--response", response, "--image", image, "--out", png, "--prompts", "liver & liver tumor", "--font", "none");

        Assert.True(code == 0, error);
        Assert.Equal("", error);
        Assert.Contains($"wrote {png}", output, StringComparison.Ordinal);
        Assert.Contains("2 masks drawn on 16×12 (value ≥ 128): 1: 36 px, 2: 54 px", output, StringComparison.Ordinal);
        Assert.Contains("  1. liver — liver [p=0.41] (#E6194B)", output, StringComparison.Ordinal);
        Assert.Contains("  2. liver tumor — tumor [p=n/a] (#3CB44B)", output, StringComparison.Ordinal);

        var drawn = Decode(png);
        Assert.Equal((320, H + 6 + (2 * 18) + 6), (drawn.Width, drawn.Height));
        Assert.Equal(Tint(Gray100, Red), Pixel(drawn, 4, 4));
        Assert.Equal(Tint(Tint(Gray100, Red), Green), Pixel(drawn, 6, 5));
        Assert.Equal(Tint(Gray100, Green), Pixel(drawn, 10, 7));
        Assert.Equal(Rgb(Red), Pixel(drawn, 2, 2));
        Assert.Equal(Rgb(Green), Pixel(drawn, 13, 6));
        Assert.Equal(Gray100, Pixel(drawn, 0, 11));
        Assert.Equal(Gray100, Pixel(drawn, 15, 0));
        Assert.Equal(Rgb(Red), Pixel(drawn, 8, H + 6 + 3));
        Assert.Equal(Rgb(Green), Pixel(drawn, 8, H + 6 + 18 + 3));
    }

    [Fact]
    public async Task Render_NoPrompts_LabelsTheMasksByNumber()
    {
        var (response, image) = TwoMaskScene();

        var (code, output, error) = await CliRunner.RunAsync("render", "--response", response, "--image", image, "--out", Path.Combine(_dir, "o.png"), "--font", "none");

        Assert.True(code == 0, error);
        Assert.Contains("  1. mask 1 — liver [p=0.41]", output, StringComparison.Ordinal);
        Assert.Contains("  2. mask 2 — tumor [p=n/a]", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_RequestFile_TakesThePromptsFromTheRowsTextCell()
    {
        var (response, image) = TwoMaskScene();
        string request = Write("request.json", """
            {"input_data": {"columns": ["text", "image"], "index": [0, 1],
             "data": [["lung", ""], [" left kidney &right kidney ", ""]]}}
            """);
        string twoRows = Write("two-rows.json", $"[{File.ReadAllText(response)[1..^1]}, {File.ReadAllText(response)[1..^1]}]");

        var (code, output, error) = await CliRunner.RunAsync("render", "--response", twoRows, "--image", image, "--out", Path.Combine(_dir, "o.png"), "--request", request, "--row", "1", "--font", "none");

        Assert.True(code == 0, error);
        Assert.Contains("  1. left kidney — liver [p=0.41]", output, StringComparison.Ordinal);
        Assert.Contains("  2. right kidney — tumor [p=n/a]", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_RequestWithOtherPromptCount_NotesItAndNumbersTheMasks()
    {
        var (response, image) = TwoMaskScene();
        string request = Write("request.json", """{"input_data": {"columns": ["image", "text"], "data": [["", "abdomen"]]}}""");

        var (code, output, error) = await CliRunner.RunAsync("render", "--response", response, "--image", image, "--out", Path.Combine(_dir, "o.png"), "--request", request, "--font", "none");

        Assert.True(code == 0, error);
        Assert.Contains("note: row 0 of the request has 1 prompt but the response has 2 masks; the legend numbers the masks instead", error, StringComparison.Ordinal);
        Assert.Contains("  1. mask 1 — liver", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_ImageOfOtherGeometry_DrawsOnTheImageResizedToTheMasks()
    {
        var (response, _) = TwoMaskScene();
        var large = new PixelBuffer(40, 30, PixelFormat.Rgb8);
        for (int i = 0; i < large.Data.Length; i++)
        {
            large.Data[i] = (byte)((i * 37) % 251);
        }

        string image = Path.Combine(_dir, "large.png");
        File.WriteAllBytes(image, PngEncoder.Encode(large));
        string png = Path.Combine(_dir, "o.png");

        var (code, _, error) = await CliRunner.RunAsync("render", "--response", response, "--image", image, "--out", png, "--font", "none");

        Assert.True(code == 0, error);
        Assert.Contains("note: the image is 40×30 but the masks are 16×12; drawing on the image resized to 16×12 (bicubic)", error, StringComparison.Ordinal);
        var resized = PillowResampler.Resize(large, W, H, ResampleFilter.Bicubic);
        var drawn = Decode(png);
        Assert.Equal(Pixel(resized, 15, 0), Pixel(drawn, 15, 0));
        Assert.Equal(Pixel(resized, 0, 11), Pixel(drawn, 0, 11));
        Assert.Equal(Tint(Pixel(resized, 4, 4), Red), Pixel(drawn, 4, 4));
    }

    [Fact]
    public async Task Render_JpegImage_IsDecodedLikeARequestCell()
    {
        var (response, _) = TwoMaskScene();
        var gray = new PixelBuffer(W, H, PixelFormat.Gray8);
        gray.Data.AsSpan().Fill(90);
        string image = Path.Combine(_dir, "image.jpg");
        byte[] jpeg = JpegEncoder.Encode(gray, 95);
        File.WriteAllBytes(image, jpeg);
        string png = Path.Combine(_dir, "o.png");

        var (code, _, error) = await CliRunner.RunAsync("render", "--response", response, "--image", image, "--out", png, "--font", "none");

        Assert.True(code == 0, error);
        var expected = ImageDecoder.Decode(jpeg, ImageDecodeOptions.Default).Pixels;
        Assert.Equal(Pixel(ImageConverter.ToRgb(expected), 15, 0), Pixel(Decode(png), 15, 0));
    }

    [Fact]
    public async Task Render_DicomImage_DrawsOnTheRenderedFrame()
    {
        var (response, _) = TwoMaskScene();
        // Even pixels 0, odd pixels 240: minmax renders them as 0 and 255.
        byte[] pixels = [.. Enumerable.Range(0, W * H).Select(i => (byte)(i % 2 == 0 ? 0 : 240))];
        string dicom = Path.Combine(_dir, "image.dcm");
        File.WriteAllBytes(dicom, MinimalDicom.Image(H, W, "MONOCHROME2", pixels));
        string png = Path.Combine(_dir, "o.png");

        var (code, _, error) = await CliRunner.RunAsync("render", "--response", response, "--image", dicom, "--out", png, "--normalization", "minmax", "--font", "none");
        if (code != 0 && error.Contains("libgdcm-cil", StringComparison.Ordinal))
        {
            Assert.Skip("needs GDCM's C# binding (Debian package libgdcm-cil)");
        }

        Assert.True(code == 0, error);
        var drawn = Decode(png);
        Assert.Equal((255, 255, 255), Pixel(drawn, 15, 0));
        Assert.Equal((0, 0, 0), Pixel(drawn, 14, 0));
        Assert.Equal(Tint((0, 0, 0), Red), Pixel(drawn, 4, 4));
    }

    [Fact]
    public async Task Render_WithFont_WritesTextIntoTheLegend()
    {
        Assert.SkipUnless(File.Exists(DejaVu), MissingFontReason);
        var (response, image) = TwoMaskScene();
        string withFont = Path.Combine(_dir, "font.png");
        string numbersOnly = Path.Combine(_dir, "numbers.png");

        var (code, _, error) = await CliRunner.RunAsync("render", "--response", response, "--image", image, "--out", withFont, "--font", DejaVu);
        await CliRunner.RunAsync("render", "--response", response, "--image", image, "--out", numbersOnly, "--font", "none");

        Assert.True(code == 0, error);
        Assert.Equal("", error);
        var text = Decode(withFont);
        var numbers = Decode(numbersOnly);
        Assert.Equal((numbers.Width, numbers.Height), (text.Width, text.Height));
        Assert.Equal(numbers.Row(3).ToArray(), text.Row(3).ToArray());
        int differing = 0;
        for (int y = H; y < text.Height; y++)
        {
            for (int x = 60; x < text.Width; x++)
            {
                differing += Pixel(text, x, y) == Pixel(numbers, x, y) ? 0 : 1;
            }
        }

        Assert.True(differing > 100, $"{differing} pixels of text beyond the numbers");
    }

    [Theory]
    [MemberData(nameof(MalformedResponses))]
    public async Task Render_MalformedResponse_ExitsOneWithTheReason(string response, string message)
    {
        var (_, image) = TwoMaskScene();

        var (code, _, error) = await CliRunner.RunAsync("render", "--response", Write("bad.json", response), "--image", image, "--out", Path.Combine(_dir, "o.png"));

        Assert.Equal(1, code);
        Assert.StartsWith("error: " + message, error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "o.png")));
    }

    [Fact]
    public async Task Render_RowPastTheEnd_ExitsOneNamingTheRows()
    {
        var (response, image) = TwoMaskScene();

        var (code, _, error) = await CliRunner.RunAsync("render", "--response", response, "--image", image, "--out", Path.Combine(_dir, "o.png"), "--row", "1");

        Assert.Equal(1, code);
        Assert.Contains("error: --row 1 is out of range: the response has 1 row (row 0)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_ChosenRowBroken_NamesThatRow()
    {
        var (response, image) = TwoMaskScene();
        string good = File.ReadAllText(response)[1..^1];
        string path = Write("rows.json", $"[{good}, 5, {Row(Features(1, 4, 4, new byte[16]), "null")}, {{\"text_features\": []}}]");

        var notObject = await CliRunner.RunAsync("render", "--response", path, "--image", image, "--out", Path.Combine(_dir, "o.png"), "--row", "1");
        var noCategories = await CliRunner.RunAsync("render", "--response", path, "--image", image, "--out", Path.Combine(_dir, "o.png"), "--row", "2");
        var noMasks = await CliRunner.RunAsync("render", "--response", path, "--image", image, "--out", Path.Combine(_dir, "o.png"), "--row", "3");

        Assert.Equal((1, 1, 1), (notObject.ExitCode, noCategories.ExitCode, noMasks.ExitCode));
        Assert.Contains("error: row 1 is a number, not an object", notObject.Error, StringComparison.Ordinal);
        Assert.Contains("error: row 2: 'text_features' is null, not a list of category names", noCategories.Error, StringComparison.Ordinal);
        Assert.Contains("error: row 3: 'image_features' is missing", noMasks.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task Render_MalformedRequestFile_ExitsOneWithTheReason(string request, string message)
    {
        var (response, image) = TwoMaskScene();

        var (code, _, error) = await CliRunner.RunAsync("render", "--response", response, "--image", image, "--out", Path.Combine(_dir, "o.png"), "--request", Write("req.json", request));

        Assert.Equal(1, code);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("liver", "error: --prompts has 1 prompt, but row 0 has 2 masks")]
    [InlineData("liver & ", "error: --prompts: prompt 2 of 2 is empty (prompts are separated by '&')")]
    [InlineData("  ", "error: --prompts: a prompt is required")]
    public async Task Render_BadPrompts_IsAUsageError(string prompts, string message)
    {
        var (response, image) = TwoMaskScene();

        var (code, _, error) = await CliRunner.RunAsync("render", "--response", response, "--image", image, "--out", Path.Combine(_dir, "o.png"), "--prompts", prompts);

        Assert.Equal(2, code);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_PromptsAndRequestTogether_IsAUsageError()
    {
        var (response, image) = TwoMaskScene();

        var (code, _, error) = await CliRunner.RunAsync("render", "--response", response, "--image", image, "--out", Path.Combine(_dir, "o.png"), "--prompts", "a & b", "--request", response);

        Assert.Equal(2, code);
        Assert.Equal("error: give at most one of --prompts and --request", error.Trim());
    }

    [Theory]
    [InlineData("--row", "-1", "error: --row and --dicom-frame must be at least 0")]
    [InlineData("--dicom-frame", "-2", "error: --row and --dicom-frame must be at least 0")]
    [InlineData("--normalization", "sideways", "error: normalization 'sideways' is not one of")]
    public async Task Render_BadOptionValue_IsAUsageError(string option, string value, string message)
    {
        var (response, image) = TwoMaskScene();

        var (code, _, error) = await CliRunner.RunAsync("render", "--response", response, "--image", image, "--out", Path.Combine(_dir, "o.png"), option, value);

        Assert.Equal(2, code);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--response")]
    [InlineData("--image")]
    [InlineData("--request")]
    public async Task Render_FileThatCannotBeRead_IsAUsageError(string option)
    {
        var (response, image) = TwoMaskScene();
        string missing = Path.Combine(_dir, "missing.json");
        var args = new List<string> { "render", "--response", response, "--image", image, "--out", Path.Combine(_dir, "o.png") };
        int at = args.IndexOf(option);
        if (at < 0)
        {
            args.AddRange([option, missing]);
        }
        else
        {
            args[at + 1] = missing;
        }

        var (code, _, error) = await CliRunner.RunAsync([.. args]);

        Assert.Equal(2, code);
        Assert.StartsWith($"error: cannot read '{missing}': ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_MissingRequiredOption_IsAUsageError()
    {
        var (response, _) = TwoMaskScene();

        var (code, _, error) = await CliRunner.RunAsync("render", "--response", response, "--out", Path.Combine(_dir, "o.png"));

        Assert.Equal(2, code);
        Assert.Contains("--image", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_ImageThatIsNotAnImage_ExitsOne()
    {
        var (response, _) = TwoMaskScene();

        var (code, _, error) = await CliRunner.RunAsync("render", "--response", response, "--image", Write("x.png", "hello"), "--out", Path.Combine(_dir, "o.png"));

        Assert.Equal(1, code);
        Assert.Equal("error: cannot decode the image: not a PNG, JPEG or DICOM image", error.Trim());
    }

    [Fact]
    public async Task Render_FontOptionNotAFont_ExitsOneNamingTheOption()
    {
        var (response, image) = TwoMaskScene();
        string font = Write("font.ttf", "not a font");

        var (code, _, error) = await CliRunner.RunAsync("render", "--response", response, "--image", image, "--out", Path.Combine(_dir, "o.png"), "--font", font);

        Assert.Equal(1, code);
        Assert.Equal($"error: cannot load the font '{font}' (--font): it is missing or not a TrueType/OpenType file", error.Trim());
    }

    [Fact]
    public async Task Render_FontVariableNotAFont_ExitsOneNamingTheVariable()
    {
        var (response, image) = TwoMaskScene();
        string font = Path.Combine(_dir, "absent.ttf");
        string? before = Environment.GetEnvironmentVariable(RenderCommand.FontVariable);
        Environment.SetEnvironmentVariable(RenderCommand.FontVariable, font);
        try
        {
            var (code, _, error) = await CliRunner.RunAsync("render", "--response", response, "--image", image, "--out", Path.Combine(_dir, "o.png"));

            Assert.Equal(1, code);
            Assert.Equal($"error: cannot load the font '{font}' ($MEDSERVE_FONT): it is missing or not a TrueType/OpenType file", error.Trim());
        }
        finally
        {
            Environment.SetEnvironmentVariable(RenderCommand.FontVariable, before);
        }
    }

    [Fact]
    public async Task Render_OutputFolderMissing_ExitsOne()
    {
        var (response, image) = TwoMaskScene();
        string output = Path.Combine(_dir, "no-such-folder", "o.png");

        var (code, _, error) = await CliRunner.RunAsync("render", "--response", response, "--image", image, "--out", output, "--font", "none");

        Assert.Equal(1, code);
        Assert.StartsWith($"error: cannot write '{output}': ", error, StringComparison.Ordinal);
    }

    private static (int R, int G, int B) Gray100 => (100, 100, 100);

    /// <summary>
    /// A 16×12 gray image (100) and a one-row response: mask 1 (liver) is 255 on x 2-7, y 2-7 (36 px);
    /// mask 2 (tumor) is 128 on x 5-13, y 4-9 (54 px) and 127 on x 0-1, y 10-11 (outside).
    /// </summary>
    private (string Response, string Image) TwoMaskScene()
    {
        byte[] masks = new byte[2 * H * W];
        for (int y = 0; y < H; y++)
        {
            for (int x = 0; x < W; x++)
            {
                if (x is >= 2 and <= 7 && y is >= 2 and <= 7)
                {
                    masks[(y * W) + x] = 255;
                }

                if (x is >= 5 and <= 13 && y is >= 4 and <= 9)
                {
                    masks[(H * W) + (y * W) + x] = 128;
                }

                if (x <= 1 && y >= 10)
                {
                    masks[(H * W) + (y * W) + x] = 127;
                }
            }
        }

        string response = Write("response.json", Response(Row(Features(2, H, W, masks), """["liver", "tumor"]""", """, "p_values": [0.41, null]""")));
        var gray = new PixelBuffer(W, H, PixelFormat.Gray8);
        gray.Data.AsSpan().Fill(100);
        string image = Path.Combine(_dir, "image.png");
        File.WriteAllBytes(image, PngEncoder.Encode(gray));
        return (response, image);
    }

    private string Write(string name, string content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string Features(int n, int h, int w, byte[] data, string dtype = "uint8") =>
        $$"""{"data": "{{Convert.ToBase64String(data)}}", "shape": [{{n}}, {{h}}, {{w}}], "dtype": "{{dtype}}"}""";

    /// <summary>A response row; <paramref name="features"/> is the JSON that the <c>image_features</c> string holds.</summary>
    private static string Row(string features, string textFeatures = """["liver"]""", string extra = "") =>
        $$"""{"image_features": "{{JsonEncodedText.Encode(features, JavaScriptEncoder.UnsafeRelaxedJsonEscaping)}}", "text_features": {{textFeatures}}{{extra}}}""";

    private static string Response(params string[] rows) => "[" + string.Join(", ", rows) + "]";

    private static PixelBuffer Decode(string png)
    {
        var decoded = ImageDecoder.Decode(File.ReadAllBytes(png), ImageDecodeOptions.Default); // PngReader, our own decoder
        Assert.Equal(ImageFormat.Png, decoded.SourceFormat);
        Assert.Equal(PixelFormat.Rgb8, decoded.Pixels.Format);
        return decoded.Pixels;
    }

    private static (int R, int G, int B) Pixel(PixelBuffer image, int x, int y)
    {
        int i = ((y * image.Width) + x) * 3;
        return (image.Data[i], image.Data[i + 1], image.Data[i + 2]);
    }

    private static (int R, int G, int B) Rgb(OverlayColor color) => (color.R, color.G, color.B);

    /// <summary>round(under · 0.55 + colour · 0.45), halves up, in exact decimal arithmetic.</summary>
    private static (int R, int G, int B) Tint((int R, int G, int B) under, OverlayColor color) =>
        (Mix(under.R, color.R), Mix(under.G, color.G), Mix(under.B, color.B));

    private static int Mix(int under, int over) =>
        (int)Math.Round((under * 0.55m) + (over * 0.45m), MidpointRounding.AwayFromZero);
}
