using System.Text;
using System.Text.Json;
using MedServe.Inference.Packages;
using MedServe.Models.Demo;
using MedServe.Models.MedImageParse;
using MedServe.Models.Scoring;

namespace MedServe.Models.Tests.MedImageParse;

public sealed class MedImageParseModelTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-parse-model-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteSmall(byte[]? targetDistributions = null, int maxPrompts = 16) =>
        DemoPackages.WriteMedImageParse(_dir, imageSize: 32, dim: 16, queryCount: 4, maskSize: 16, targetDistributions, maxPrompts);

    private PackageManifest SmallManifest()
    {
        WriteSmall();
        using var package = ModelPackage.Load(_dir);
        return package.Manifest;
    }

    [Fact]
    public void Load_DemoPackage_DescribesColumnsParamsAndLimits()
    {
        using var model = ModelLoader.Load(WriteSmall(maxPrompts: 5), new ModelLoadOptions { MaxRows = 3 });

        var parse = Assert.IsType<MedImageParseModel>(model);
        Assert.Equal(5, parse.MaxPrompts);
        var d = model.Descriptor;
        Assert.Equal(("medimageparse", "medimageparse", true, 3), (d.Name, d.Task, d.Synthetic, d.MaxRows));
        Assert.Equal(["image", "text"], d.Columns.Select(c => c.Name));
        Assert.Equal(["auto_preprocess", "ct_window", "detection", "recognition", "modality", "p_value_threshold", "normalization", "dicom_frame"], d.Params.Select(p => p.Name));
        using var schema = JsonDocument.Parse(d.ResponseRowSchemaJson);
        Assert.Equal("string", schema.RootElement.GetProperty("properties").GetProperty("image_features").GetProperty("type").GetString());
    }

    [Fact]
    public async Task ScoreAsync_DefaultSizes_MasksAtTheImageSizeWithAHostedCategory()
    {
        // The real geometry (1024² input, 101 queries, 256² masks) on a 50×30 image.
        using var model = ModelLoader.Load(DemoPackages.WriteMedImageParse(_dir));
        using var bitmap = new SkiaSharp.SKBitmap(50, 30);
        bitmap.Erase(new SkiaSharp.SKColor(90, 160, 30));
        using var png = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        string json = "{\"input_data\": {\"columns\": [\"image\", \"text\"], \"data\": [[\"" + Convert.ToBase64String(png.ToArray()) + "\", \"liver & kidney\"]]}}";
        using var frame = ScoringFrameParser.TryParse(Encoding.UTF8.GetBytes(json), out string error) ?? throw new InvalidOperationException(error);

        var result = await model.ScoreAsync(frame, TestContext.Current.CancellationToken);

        Assert.True(result.StatusCode == 200, Encoding.UTF8.GetString(result.Body));
        var row = JsonDocument.Parse(result.Body).RootElement[0];
        Assert.True(MedServe.Contracts.MaskArray.TryDecode(row.GetProperty("image_features").GetString()!, out byte[] masks, out var shape, out error), error);
        Assert.Equal((2, 30, 50), shape);
        Assert.Equal(3000, masks.Length);
        Assert.All(row.GetProperty("text_features").EnumerateArray(), c => Assert.Contains(c.GetString()!, MedImageParseCategories.Names));
    }

    [Fact]
    public void Load_MissingLogitScale_Refused()
    {
        WriteSmall();
        string manifest = Path.Combine(_dir, "medserve.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"logit_scale\"", "\"logit_scal\"", StringComparison.Ordinal));
        var ex = Assert.Throws<ModelPackageException>(() => ModelLoader.Load(_dir));
        Assert.Contains("medserve.json: constants.logit_scale is missing", ex.Problems);
    }

    [Fact]
    public void Load_InvalidTargetDistributions_RefusedNamingTheFile()
    {
        WriteSmall("{\"CT\": {\"liver\": [[1, 1]]}}"u8.ToArray());
        var ex = Assert.Throws<ModelPackageException>(() => ModelLoader.Load(_dir));
        var problem = Assert.Single(ex.Problems);
        Assert.StartsWith("medserve.json: ", problem, StringComparison.Ordinal);
        Assert.Contains("target_dist.json", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MaxPromptsZero_Refused()
    {
        WriteSmall();
        string manifest = Path.Combine(_dir, "medserve.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"max_prompts\": 16", "\"max_prompts\": 0", StringComparison.Ordinal));
        var ex = Assert.Throws<ModelPackageException>(() => ModelLoader.Load(_dir));
        Assert.Contains("medserve.json: limits.max_rows, limits.max_batch_size and limits.max_prompts must be at least 1", ex.Problems);
    }

    [Fact]
    public void Check_DemoManifest_HasNoProblems()
    {
        Assert.Empty(MedImageParsePackageRules.Check(SmallManifest()));
    }

    [Fact]
    public void Check_MissingDecoder_Refused()
    {
        var manifest = SmallManifest();
        var graphs = manifest.Graphs.Where(g => g.Key != "decoder").ToDictionary();
        Assert.Equal(["medserve.json: graph 'decoder' is missing"], MedImageParsePackageRules.Check(manifest with { Graphs = graphs }));
    }

    [Fact]
    public void Check_DecoderInputTheImageEncoderDoesNotGive_Refused()
    {
        var manifest = SmallManifest();
        var decoder = manifest.Graphs["decoder"];
        var renamed = decoder with { Inputs = [.. decoder.Inputs.Select(i => i.Name == "mask_features" ? i with { Name = "multi_scale_3" } : i)] };
        var graphs = manifest.Graphs.ToDictionary(g => g.Key, g => g.Key == "decoder" ? renamed : g.Value);

        Assert.Equal(
            ["medserve.json: graph 'decoder' input 'multi_scale_3' must be an output of 'image_encoder' with the same element type and shape (batch 1 in the decoder)"],
            MedImageParsePackageRules.Check(manifest with { Graphs = graphs }));
    }

    [Fact]
    public void Check_SymbolicQueryCount_Refused()
    {
        var manifest = SmallManifest();
        var decoder = manifest.Graphs["decoder"];
        var symbolic = decoder with
        {
            Outputs = [.. decoder.Outputs.Select(o => o.Name == "pred_masks" ? o with { Shape = [1, TensorDimension.Named("Q"), 16, 16] } : o)],
        };
        var graphs = manifest.Graphs.ToDictionary(g => g.Key, g => g.Key == "decoder" ? symbolic : g.Value);

        Assert.Equal(
            ["medserve.json: graph 'decoder' must give float32 or float16 pred_masks [1,Q,M,M], pred_captions [1,Q,16] and pred_logits [1,Q,17] with Q and M fixed"],
            MedImageParsePackageRules.Check(manifest with { Graphs = graphs }));
    }

    [Fact]
    public void Check_ImageSizeThatDisagreesWithTheEncoder_Refused()
    {
        var manifest = SmallManifest();
        Assert.Equal(
            ["medserve.json: graph 'image_encoder' must take one float32 or float16 [batch,3,48,48] input (batch 1 or symbolic) (preprocessing.image_size is 48)"],
            MedImageParsePackageRules.Check(manifest with { Preprocessing = manifest.Preprocessing! with { ImageSize = 48 } }));
    }

    [Fact]
    public void Check_TextEncoderWithAttentionMask_Refused()
    {
        var manifest = SmallManifest();
        var text = manifest.Graphs["text_encoder"];
        var withMask = text with { Inputs = [text.Inputs[0], text.Inputs[0] with { Name = "attention_mask" }, text.Inputs[1]] };
        var graphs = manifest.Graphs.ToDictionary(g => g.Key, g => g.Key == "text_encoder" ? withMask : g.Value);

        var problem = Assert.Single(MedImageParsePackageRules.Check(manifest with { Graphs = graphs }));
        Assert.StartsWith("medserve.json: graph 'text_encoder' must take int64 input_ids [N,77] and eos_index [N]", problem, StringComparison.Ordinal);
    }

    /// <summary>The small manifest with graph <paramref name="role"/>'s batch dimension (of every input and output) fixed to <paramref name="size"/>.</summary>
    private static PackageManifest FixBatch(PackageManifest manifest, string role, long size, int? maxBatchSize)
    {
        static TensorSignature Fix(TensorSignature t, long size) => t with { Shape = [TensorDimension.Fixed(size), .. t.Shape.Skip(1)] };
        var graph = manifest.Graphs[role];
        var fixedGraph = graph with
        {
            Inputs = [.. graph.Inputs.Select(i => Fix(i, size))],
            Outputs = [.. graph.Outputs.Select(o => Fix(o, size))],
            MaxBatchSize = maxBatchSize,
        };
        return manifest with { Graphs = manifest.Graphs.ToDictionary(g => g.Key, g => g.Key == role ? fixedGraph : g.Value) };
    }

    [Theory]
    [InlineData("image_encoder", "image")]
    [InlineData("text_encoder", "prompt")]
    public void Check_BatchFixedToOneWithALargerMaxBatchSize_Refused(string role, string unit)
    {
        var manifest = FixBatch(SmallManifest(), role, 1, maxBatchSize: 4);

        Assert.Equal(
            [$"medserve.json: graph '{role}' has its batch dimension fixed to 1, so it takes one {unit} per run; its max_batch_size must be 1, not 4"],
            MedImageParsePackageRules.Check(manifest));
    }

    [Theory]
    [InlineData("image_encoder", "image")]
    [InlineData("text_encoder", "prompt")]
    public void Check_BatchFixedAboveOne_Refused(string role, string unit)
    {
        var manifest = FixBatch(SmallManifest(), role, 2, maxBatchSize: 2);

        Assert.Equal(
            [$"medserve.json: graph '{role}' has its batch dimension fixed to 2; MedServe runs it on 1 to max_batch_size {unit}s at a time, so the dimension must be 1 or symbolic"],
            MedImageParsePackageRules.Check(manifest));
    }

    [Theory]
    [InlineData("image_encoder", null)]
    [InlineData("image_encoder", 1)]
    [InlineData("text_encoder", null)]
    [InlineData("text_encoder", 1)]
    public void Check_BatchFixedToOne_AcceptedAndTakesOneWhateverTheLimits(string role, int? maxBatchSize)
    {
        var manifest = FixBatch(SmallManifest(), role, 1, maxBatchSize);
        manifest = manifest with { Limits = manifest.Limits with { MaxBatchSize = 8 } };

        Assert.Empty(MedImageParsePackageRules.Check(manifest));
        Assert.Equal(1, EncoderBatch.Limit(manifest, role));
    }

    [Fact]
    public void Check_DecoderWithMaxBatchSizeAboveOne_Refused()
    {
        var manifest = SmallManifest();
        var decoder = manifest.Graphs["decoder"] with { MaxBatchSize = 2 };

        Assert.Equal(
            ["medserve.json: graph 'decoder' runs one row (all its prompts) at a time; its max_batch_size must be 1, not 2"],
            MedImageParsePackageRules.Check(manifest with { Graphs = manifest.Graphs.ToDictionary(g => g.Key, g => g.Key == "decoder" ? decoder : g.Value) }));
    }

    [Fact]
    public void EncoderBatchLimit_SymbolicBatch_GraphValueElseThePackageLimit()
    {
        var manifest = SmallManifest();
        var image = manifest.Graphs["image_encoder"] with { MaxBatchSize = null };
        var withoutGraphValue = manifest with
        {
            Graphs = manifest.Graphs.ToDictionary(g => g.Key, g => g.Key == "image_encoder" ? image : g.Value),
            Limits = manifest.Limits with { MaxBatchSize = 3 },
        };

        Assert.Equal((4, 16), (EncoderBatch.Limit(manifest, "image_encoder"), EncoderBatch.Limit(manifest, "text_encoder")));
        Assert.Equal(3, EncoderBatch.Limit(withoutGraphValue, "image_encoder"));
    }

    [Fact]
    public void Check_Float64ImageEncoder_RefusedNamingBothFloatTypes()
    {
        var manifest = SmallManifest();
        var image = manifest.Graphs["image_encoder"];
        var float64 = image with { Inputs = [image.Inputs[0] with { ElementType = "float64" }] };

        Assert.Equal(
            ["medserve.json: graph 'image_encoder' must take one float32 or float16 [batch,3,32,32] input (batch 1 or symbolic) (preprocessing.image_size is 32)"],
            MedImageParsePackageRules.Check(manifest with { Graphs = manifest.Graphs.ToDictionary(g => g.Key, g => g.Key == "image_encoder" ? float64 : g.Value) }));
    }
}
