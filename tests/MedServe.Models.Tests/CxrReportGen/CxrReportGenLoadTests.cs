using MedServe.Inference.Packages;
using MedServe.Models.Demo;

namespace MedServe.Models.Tests.CxrReportGen;

public sealed class CxrReportGenLoadTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-cxr-load-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Writes the demo package with one manifest edit (checksums cover files, not the manifest).</summary>
    private void WriteWithManifestEdit(string from, string to)
    {
        CxrReportGenDemoPackage.Write(_dir);
        string manifest = Path.Combine(_dir, "medserve.json");
        string text = File.ReadAllText(manifest);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(manifest, text.Replace(from, to, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_DemoPackage_DescribesTheHostedColumns()
    {
        using var model = ModelLoader.Load(CxrReportGenDemoPackage.Write(_dir));
        Assert.Equal("cxrreportgen", model.Descriptor.Task);
        Assert.Equal(10, model.Descriptor.MaxRows);
        Assert.Equal(["frontal_image", "lateral_image", "prior_image", "indication", "technique", "comparison", "prior_report"], model.Descriptor.Columns.Select(c => c.Name));
        Assert.Equal([true, true, true, false, false, false, false], model.Descriptor.Columns.Select(c => c.IsImage));
    }

    [Fact]
    public void Load_CacheHeadsThatDisagreeWithTheDecoder_RefusedNamingTensorAndKeys()
    {
        WriteWithManifestEdit("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 4");
        var ex = Assert.Throws<ModelPackageException>(() => ModelLoader.Load(_dir));
        Assert.Contains("medserve.json: graph 'decoder' input 'past_key_values.0.key' is past_key_values.0.key float32[batch_size,2,past_sequence_length,8]; it must be float32 or float16 [*,4,*,8] (generation.num_key_value_heads and head_dim)", ex.Problems);
    }

    [Fact]
    public void Load_MoreLayersThanTheDecoderHas_Refused()
    {
        WriteWithManifestEdit("\"num_layers\": 2", "\"num_layers\": 3");
        var ex = Assert.Throws<ModelPackageException>(() => ModelLoader.Load(_dir));
        Assert.Contains("medserve.json: graph 'decoder' needs input 'past_key_values.2.key' float32 or float16 [*,2,*,8]", ex.Problems);
        Assert.Contains("medserve.json: graph 'decoder' has 7 inputs; generation.num_layers 3 needs 9 (inputs_embeds, attention_mask, position_ids and a past key and value per layer)", ex.Problems);
    }

    [Fact]
    public void Load_GroundingTokenTheTokenizerLacks_Refused()
    {
        // The writer escapes angle brackets, as System.Text.Json does by default.
        WriteWithManifestEdit("\"image_token\": \"\\u003Cimage\\u003E\"", "\"image_token\": \"<img>\"");
        var ex = Assert.Throws<ModelPackageException>(() => ModelLoader.Load(_dir));
        Assert.Contains("medserve.json: generation.image_token '<img>' is not an added token of the tokenizer", ex.Problems);
    }

    [Fact]
    public void Load_EosOutsideTheVocabulary_Refused()
    {
        WriteWithManifestEdit("\"eos_token_ids\": [", "\"eos_token_ids\": [999999, ");
        var ex = Assert.Throws<ModelPackageException>(() => ModelLoader.Load(_dir));
        Assert.Single(ex.Problems, p => p.StartsWith("medserve.json: generation.eos_token_ids must list at least one id below vocab_size (", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_VisionBatchFixedToOneWithALargerMaxBatchSize_Refused()
    {
        var ex = Assert.Throws<ModelPackageException>(() => ModelLoader.Load(CxrTestPackages.WriteFixedVisionBatch(_dir, images: 1, graphLimit: 4)));
        Assert.Equal(["medserve.json: graph 'vision' has its batch dimension fixed to 1, so it takes one image per run; its max_batch_size must be 1, not 4"], ex.Problems);
    }

    [Theory]
    [InlineData(2, null, 8)]
    [InlineData(2, 2, 8)]
    [InlineData(4, 3, 1)]
    public void Load_VisionBatchFixedAboveOne_Refused(int images, int? graphLimit, int packageLimit)
    {
        // A run is never padded: a graph fixed to 2 would fail every study with one image.
        var ex = Assert.Throws<ModelPackageException>(() => ModelLoader.Load(CxrTestPackages.WriteFixedVisionBatch(_dir, images, graphLimit, packageLimit)));
        Assert.Equal([$"medserve.json: graph 'vision' has its batch dimension fixed to {images}; MedServe runs it on 1 to max_batch_size images at a time, so the dimension must be 1 or symbolic"], ex.Problems);
    }

    [Theory]
    [InlineData(null, 8)]
    [InlineData(1, 8)]
    [InlineData(null, 1)]
    public void Load_VisionBatchFixedToOne_LoadsAndTakesOneImagePerRun(int? graphLimit, int packageLimit)
    {
        using var model = (MedServe.Models.CxrReportGen.CxrReportGenModel)ModelLoader.Load(CxrTestPackages.WriteFixedVisionBatch(_dir, 1, graphLimit, packageLimit));
        Assert.Equal(1, model.VisionBatchLimit);
    }

    [Fact]
    public void Load_Float16DecoderFedByAFloat32Embed_Refused()
    {
        // The fp16 demo with the fp32 demo's embed graph: the embeddings would need a conversion per token.
        string fp32 = CxrReportGenDemoPackage.Write(Path.Combine(_dir, "fp32"));
        string fp16 = CxrReportGenDemoPackage.Write(Path.Combine(_dir, "fp16"), floatType: MedServe.Onnx.OnnxElementType.Float16);
        var embed = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(fp32, "medserve.json")))!["graphs"]!["embed"]!.DeepClone();
        CxrTestPackages.Replace(fp16, "embed.onnx", File.ReadAllBytes(Path.Combine(fp32, "embed.onnx")), manifest => manifest["graphs"]!["embed"] = embed);
        var ex = Assert.Throws<ModelPackageException>(() => ModelLoader.Load(fp16));
        Assert.Equal(["medserve.json: graph 'decoder' input 'inputs_embeds' is float16 but graph 'embed' output 'inputs_embeds' is float32; the embeddings, logits and key/value cache must share one element type"], ex.Problems);
    }
}
