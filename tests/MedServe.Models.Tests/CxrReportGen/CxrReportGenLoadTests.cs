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
        Assert.Contains("medserve.json: graph 'decoder' input 'past_key_values.0.key' is past_key_values.0.key float32[batch_size,2,past_sequence_length,8]; it must be float32[*,4,*,8] (generation.num_key_value_heads and head_dim)", ex.Problems);
    }

    [Fact]
    public void Load_MoreLayersThanTheDecoderHas_Refused()
    {
        WriteWithManifestEdit("\"num_layers\": 2", "\"num_layers\": 3");
        var ex = Assert.Throws<ModelPackageException>(() => ModelLoader.Load(_dir));
        Assert.Contains("medserve.json: graph 'decoder' needs input 'past_key_values.2.key' float32[*,2,*,8]", ex.Problems);
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
}
