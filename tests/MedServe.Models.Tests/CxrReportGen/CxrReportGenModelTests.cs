using System.Text;
using System.Text.Json;
using MedServe.Models.CxrReportGen;
using MedServe.Models.Demo;
using MedServe.Models.Scoring;

namespace MedServe.Models.Tests.CxrReportGen;

public sealed class CxrReportGenModelTests : IDisposable
{
    private const string DarkOutput =
        "[[\"The lungs are clear.\", null], [\"No pleural effusion or pneumothorax.\", null], "
        + "[\"Median sternotomy wires are present.\", [[0.455, 0.205, 0.555, 0.625]]]]";

    private const string BrightOutput =
        "[[\"The cardiomediastinal silhouette is normal.\", null], "
        + "[\"There is a patchy opacity in the right lower lung.\", [[0.155, 0.555, 0.425, 0.805]]], "
        + "[\"Small bilateral pleural effusions.\", [[0.105, 0.705, 0.305, 0.905], [0.685, 0.705, 0.905, 0.905]]]]";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-cxr-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private CxrReportGenModel LoadDemo(string? dark = null, string? bright = null, bool scripted = true) =>
        (CxrReportGenModel)ModelLoader.Load(CxrReportGenDemoPackage.Write(_dir, darkFindings: dark, brightFindings: bright, scripted: scripted));

    private static string Request(byte[] frontal, string paramsJson = "{}") =>
        "{\"input_data\": {\"columns\": [\"frontal_image\"], \"data\": [[\"" + Convert.ToBase64String(frontal) + "\"]]}, \"params\": " + paramsJson + "}";

    internal static async Task<ScoringResult> ScoreAsync(IScoringModel model, string json)
    {
        using var frame = ScoringFrameParser.TryParse(Encoding.UTF8.GetBytes(json), out string error) ?? throw new InvalidOperationException(error);
        return await model.ScoreAsync(frame, TestContext.Current.CancellationToken);
    }

    internal static async Task<string> OutputAsync(IScoringModel model, string json)
    {
        var result = await ScoreAsync(model, json);
        Assert.True(result.StatusCode == 200, Encoding.UTF8.GetString(result.Body));
        using var document = JsonDocument.Parse(result.Body);
        Assert.Equal(1, document.RootElement.GetArrayLength());
        return document.RootElement[0].GetProperty("output").GetString()!;
    }

    [Fact]
    public async Task ScoreAsync_DarkFrontal_EmitsTheScriptedGroundedFindings()
    {
        using var model = LoadDemo();
        Assert.Equal(DarkOutput, await OutputAsync(model, Request(CxrTestImages.Dark())));
    }

    [Fact]
    public async Task ScoreAsync_BrightFrontal_EmitsTheOtherFindings()
    {
        using var model = LoadDemo();
        Assert.Equal(BrightOutput, await OutputAsync(model, Request(CxrTestImages.Bright())));
    }

    [Fact]
    public async Task Generate_ScriptWithEos_StopsAtTheEosWithoutEmittingIt()
    {
        using var model = LoadDemo();
        var images = await DecodeAsync(CxrTestImages.Dark());
        var study = new CxrStudy(false, false);
        var result = model.Generate(study, images, grounded: true, maxNewTokens: 450, TestContext.Current.CancellationToken);
        Assert.True(result.StoppedAtEos);
        var expected = model.Tokenizer.Encode(CxrReportGenDemoPackage.DarkFindings).Skip(1).ToArray();
        Assert.Equal(expected, result.Tokens);
    }

    [Fact]
    public async Task Generate_CancelledRequest_ThrowsOperationCanceled()
    {
        using var model = LoadDemo();
        var images = await DecodeAsync(CxrTestImages.Dark());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        Assert.ThrowsAny<OperationCanceledException>(() => model.Generate(new CxrStudy(false, false), images, grounded: true, maxNewTokens: 450, cancelled.Token));
    }

    [Fact]
    public async Task Generate_LimitBeforeEos_StopsAtTheLimit()
    {
        using var model = LoadDemo();
        var images = await DecodeAsync(CxrTestImages.Dark());
        var result = model.Generate(new CxrStudy(false, false), images, grounded: true, maxNewTokens: 5, TestContext.Current.CancellationToken);
        Assert.False(result.StoppedAtEos);
        Assert.Equal(model.Tokenizer.Encode(CxrReportGenDemoPackage.DarkFindings).Skip(1).Take(5).ToArray(), result.Tokens);
    }

    [Fact]
    public async Task ScoreAsync_MaxNewTokensAtAFindingBoundary_ReturnsTheFindingsSoFar()
    {
        using var model = LoadDemo();
        int firstFinding = model.Tokenizer.Encode("<obj>The lungs are clear.</obj>").Count - 1;
        string output = await OutputAsync(model, Request(CxrTestImages.Dark(), $"{{\"max_new_tokens\": {firstFinding}}}"));
        Assert.Equal("[[\"The lungs are clear.\", null]]", output);
    }

    [Fact]
    public async Task ScoreAsync_MaxNewTokensInsideAFinding_IsAModelError()
    {
        using var model = LoadDemo();
        var result = await ScoreAsync(model, Request(CxrTestImages.Dark(), "{\"max_new_tokens\": 4}"));
        Assert.Equal(424, result.StatusCode);
        Assert.Equal("row 0: the generated findings do not follow the grounding grammar: the output ended inside <obj>…</obj> (max_new_tokens reached?) at generated token 0", result.ModelError!.Reason);
        Assert.StartsWith("<obj>", result.ModelError.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreAsync_GeneratedIdInTheLogitsPaddingBeyondTheTokenizer_IsAModelError()
    {
        // Logits 8 ids wider than the tokenizer (as Phi-3 pads its vocabulary); the script emits one finding, then a padding id.
        int padding = 0;
        CxrTestPackages.WriteScripted(_dir, tokenizer =>
        {
            padding = tokenizer.VocabularySize + 5;
            int[] script = [.. Ids(tokenizer, "<obj>The lungs are clear.</obj>"), padding, tokenizer.AddedTokens["<|end|>"]];
            return (script, script);
        }, padding: 8);
        using var model = (CxrReportGenModel)ModelLoader.Load(_dir);
        var result = await ScoreAsync(model, Request(CxrTestImages.Dark()));
        Assert.Equal(424, result.StatusCode);
        Assert.Equal($"row 0: the model generated id {padding}, which the tokenizer does not have", result.ModelError!.Reason);
        Assert.Contains("The lungs are clear.", result.ModelError.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreAsync_PaddedLogitsAndOnlyTokenizerIds_AnswersNormally()
    {
        CxrTestPackages.WriteScripted(_dir, tokenizer =>
        {
            int[] script = [.. Ids(tokenizer, "<obj>The lungs are clear.</obj>"), tokenizer.AddedTokens["<|end|>"]];
            return (script, script);
        }, padding: 8);
        using var model = (CxrReportGenModel)ModelLoader.Load(_dir);
        Assert.Equal("[[\"The lungs are clear.\", null]]", await OutputAsync(model, Request(CxrTestImages.Dark())));
    }

    private static int[] Ids(MedServe.Inference.Tokenization.SentencePieceTextTokenizer tokenizer, string text)
    {
        var ids = tokenizer.Encode(text);
        return [.. ids.Skip(ids[0] == tokenizer.BeginOfSentenceId ? 1 : 0)];
    }

    [Fact]
    public async Task ScoreAsync_MalformedGrammar_IsAModelErrorWithTheRawTextOnlyInTheDetail()
    {
        const string Malformed = "<obj>Opacity in the right lung.<box><x10><y20><x30></box></obj>";
        using var model = LoadDemo(dark: Malformed);
        var result = await ScoreAsync(model, Request(CxrTestImages.Dark()));
        Assert.Equal(424, result.StatusCode);
        Assert.Equal(500, result.ModelError!.StatusCode);
        string body = Encoding.UTF8.GetString(result.Body);
        Assert.Contains("a <box> must hold <xN><yN><xN><yN> and close with </box>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Opacity", body, StringComparison.Ordinal);
        Assert.Contains("Opacity in the right lung.", result.ModelError.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreAsync_PlainOutputWithGroundingOff_OneUngroundedFindingPerSentence()
    {
        using var model = LoadDemo(dark: "The lungs are clear. No pleural effusion or pneumothorax.");
        string output = await OutputAsync(model, Request(CxrTestImages.Dark(), "{\"grounding\": \"false\"}"));
        Assert.Equal("[[\"The lungs are clear.\", null], [\"No pleural effusion or pneumothorax.\", null]]", output);
    }

    [Fact]
    public async Task ScoreAsync_OriginalCoordinates_MapsBoxesThroughTheCrop()
    {
        using var model = LoadDemo();
        // 48×40: the crop is the centred 40×40 square at x offset 4.
        string output = await OutputAsync(model, Request(CxrTestImages.Dark(), "{\"box_coordinates\": \"original\"}"));
        var crop = new CropGeometry(48, 40);
        var box = crop.ToOriginal(new FindingBox(0.455, 0.205, 0.555, 0.625));
        Assert.Equal((int)((0.455 * 40) + 4) / 48.0, box.XMin);
        Assert.Equal($"[[\"The lungs are clear.\", null], [\"No pleural effusion or pneumothorax.\", null], [\"Median sternotomy wires are present.\", [[{box.XMin:R}, {box.YMin:R}, {box.XMax:R}, {box.YMax:R}]]]]", output);
        Assert.NotEqual(DarkOutput, output);
    }

    [Fact]
    public async Task ScoreAsync_LateralAndPriorSent_BoxesStillFollowTheFrontalImage()
    {
        using var model = LoadDemo();
        string frontalOnly = await OutputAsync(model, Request(CxrTestImages.Dark(), "{\"box_coordinates\": \"original\"}"));
        string json = "{\"input_data\": {\"columns\": [\"prior_image\", \"lateral_image\", \"frontal_image\"], \"data\": [[\""
            + Convert.ToBase64String(CxrTestImages.Dark(20, 70)) + "\", \"" + Convert.ToBase64String(CxrTestImages.Dark(30, 60)) + "\", \""
            + Convert.ToBase64String(CxrTestImages.Dark()) + "\"]]}, \"params\": {\"box_coordinates\": \"original\"}}";
        Assert.Equal(frontalOnly, await OutputAsync(model, json));
    }

    [Fact]
    public async Task Generate_CachedPath_EqualsRerunningTheFullSequenceEachStep()
    {
        using var model = LoadDemo(scripted: false);
        var images = await DecodeAsync(CxrTestImages.Bright());
        var study = new CxrStudy(false, false, Indication: "Cough.");
        const int Steps = 16;
        var cached = model.Generate(study, images, grounded: true, maxNewTokens: Steps, TestContext.Current.CancellationToken);

        var (ids, positions) = model.PromptIds(study, grounded: true);
        float[] imageEmbeds = VisionEmbeds(model, images);
        var reference = FullRerun(ids, positions, imageEmbeds, cached.Tokens.Count);
        Assert.Equal(reference, cached.Tokens);
        Assert.True(cached.Tokens.Distinct().Count() >= 3, "the attention-only decoder should vary its tokens");
    }

    /// <summary>The vision graph run directly on the pre-processed images.</summary>
    private float[] VisionEmbeds(CxrReportGenModel model, MedServe.Imaging.DecodedImage[] images)
    {
        using var package = MedServe.Inference.Packages.ModelPackage.Load(_dir);
        int length = model.Preprocessor.TensorLength;
        var pixels = new float[images.Length * length];
        for (int i = 0; i < images.Length; i++)
        {
            model.Preprocessor.Process(images[i].Pixels, pixels.AsSpan(i * length, length));
        }

        int s = model.Preprocessor.ImageSize;
        using var input = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(pixels, [images.Length, 3, s, s]);
        using var outputs = package.Session("vision").Run(new Microsoft.ML.OnnxRuntime.RunOptions(), ["pixel_values"], [input], ["image_embeds"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>Greedy decoding with no cache at all: every step embeds and decodes the whole sequence.</summary>
    private int[] FullRerun(long[] promptIds, int[] imagePositions, float[] imageEmbeds, int steps)
    {
        using var package = MedServe.Inference.Packages.ModelPackage.Load(_dir);
        var manifest = package.Manifest.Generation!;
        int h = manifest.HiddenSize;
        int v = manifest.VocabularySize;
        var sequence = promptIds.ToList();
        var generated = new List<int>();
        var emptyCache = new float[0];
        for (int step = 0; step < steps; step++)
        {
            int length = sequence.Count;
            using var ids = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(sequence.ToArray(), [1, length]);
            using var embedded = package.Session("embed").Run(new Microsoft.ML.OnnxRuntime.RunOptions(), ["input_ids"], [ids], ["inputs_embeds"]);
            float[] embeds = embedded[0].GetTensorDataAsSpan<float>().ToArray();
            for (int i = 0; i < imagePositions.Length; i++)
            {
                imageEmbeds.AsSpan(i * h, h).CopyTo(embeds.AsSpan(imagePositions[i] * h, h));
            }

            var names = new List<string> { "inputs_embeds", "attention_mask", "position_ids" };
            var values = new List<Microsoft.ML.OnnxRuntime.OrtValue>
            {
                Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(embeds, [1, length, h]),
                Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, length).ToArray(), [1, length]),
                Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(Enumerable.Range(0, length).Select(i => (long)i).ToArray(), [1, length]),
            };
            for (int layer = 0; layer < manifest.Layers; layer++)
            {
                foreach (string kind in new[] { "key", "value" })
                {
                    names.Add($"past_key_values.{layer}.{kind}");
                    values.Add(Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(emptyCache, [1, manifest.KeyValueHeads, 0, manifest.HeadDim]));
                }
            }

            using var outputs = package.Session("decoder").Run(new Microsoft.ML.OnnxRuntime.RunOptions(), names, values, ["logits"]);
            var logits = outputs[0].GetTensorDataAsSpan<float>().Slice((length - 1) * v, v);
            int next = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits);
            foreach (var value in values)
            {
                value.Dispose();
            }

            generated.Add(next);
            sequence.Add(next);
        }

        return [.. generated];
    }

    internal static async Task<MedServe.Imaging.DecodedImage[]> DecodeAsync(params byte[][] images)
    {
        var decoder = new MedServe.Models.Inputs.ImageInputDecoder(new MedServe.Imaging.ImageDecodeOptions(), null);
        var options = new MedServe.Models.Inputs.ImageInputOptions(MedServe.Dicom.Rendering.DicomNormalization.CxrReportGenDefault, 0);
        var decoded = new List<MedServe.Imaging.DecodedImage>();
        foreach (byte[] bytes in images)
        {
            var (image, error) = await decoder.DecodeAsync(bytes, options, TestContext.Current.CancellationToken);
            Assert.Null(error);
            decoded.Add(image!);
        }

        return [.. decoded];
    }
}
