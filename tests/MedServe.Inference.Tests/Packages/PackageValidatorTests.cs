using System.Text.Json.Nodes;
using MedServe.Inference.Packages;
using MedServe.Onnx;
using MedServe.Onnx.Synthetic;

namespace MedServe.Inference.Tests.Packages;

/// <summary>Package loading refuses every mismatch with a message naming the file and what differs.</summary>
public sealed class PackageValidatorTests : IDisposable
{
    private const int Dim = 16;
    private const int Size = 32;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-pkg-" + Guid.NewGuid().ToString("N"));

    public PackageValidatorTests()
    {
        var manifest = new PackageManifest
        {
            FormatVersion = 1,
            Task = "medimageinsight",
            Name = "tiny",
            Version = "1",
            Synthetic = true,
            Graphs = new Dictionary<string, GraphSignature>
            {
                ["image_encoder"] = Graph("image_encoder.onnx", SyntheticMedImageInsight.ImageEncoderSignature(Size, Dim)),
                ["text_encoder"] = Graph("text_encoder.onnx", SyntheticMedImageInsight.TextEncoderSignature(Dim)),
            },
            Constants = new Dictionary<string, double> { ["logit_scale"] = 4.5 },
        };
        PackageWriter.Write(_dir, manifest, new Dictionary<string, byte[]>
        {
            ["image_encoder.onnx"] = SyntheticMedImageInsight.ImageEncoderBytes(Size, Dim),
            ["text_encoder.onnx"] = SyntheticMedImageInsight.TextEncoderBytes(Dim, 1000),
            ["notes/readme.txt"] = "hello"u8.ToArray(),
        });
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static GraphSignature Graph(string file, OnnxModelSignature signature) => new()
    {
        File = file,
        Inputs = [.. signature.Inputs.Select(Tensor)],
        Outputs = [.. signature.Outputs.Select(Tensor)],
    };

    private static TensorSignature Tensor(OnnxTensorInfo info) => new()
    {
        Name = info.Name,
        ElementType = info.ElementType == OnnxElementType.Float ? "float32" : "int64",
        Shape = [.. info.Shape.Select(d => d.Value is long v ? TensorDimension.Fixed(v) : TensorDimension.Named(d.Param!))],
    };

    private void EditManifest(Action<JsonObject> edit)
    {
        string path = Path.Combine(_dir, "medserve.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }

    private static JsonObject Input(JsonObject manifest, string graph, int index) =>
        manifest["graphs"]![graph]!["inputs"]![index]!.AsObject();

    [Fact]
    public void Check_ValidPackage_ReportsEveryFileAndGraph()
    {
        var report = PackageValidator.Check(_dir);
        Assert.True(report.IsValid, string.Join("; ", report.Problems));
        Assert.Equal(["image_encoder.onnx", "notes/readme.txt", "text_encoder.onnx"], report.Files.Select(f => f.Path));
        Assert.All(report.Files, f => Assert.True(f.ChecksumMatches));
        Assert.Equal(2, report.Graphs.Count);
        var image = Assert.Single(report.Graphs, g => g.Role == "image_encoder");
        Assert.Equal("pixel_values float32[batch,3,32,32]", image.Inputs[0].ToString());
    }

    [Fact]
    public void Load_ValidPackage_GivesASessionPerGraph()
    {
        using var package = ModelPackage.Load(_dir);
        Assert.Equal("tiny", package.Manifest.Name);
        Assert.Equal(["pixel_values"], package.Session("image_encoder").InputNames);
        Assert.Equal(4.5, package.Constant("logit_scale"));
        Assert.Throws<ModelPackageException>(() => package.Session("decoder"));
    }

    [Fact]
    public void Load_AlteredFile_RefusedNamingFileAndChecksums()
    {
        File.AppendAllText(Path.Combine(_dir, "notes", "readme.txt"), "!");
        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(_dir));
        string problem = Assert.Single(ex.Problems);
        Assert.StartsWith("notes/readme.txt: SHA-256 is ", problem, StringComparison.Ordinal);
        Assert.Contains("the manifest says", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_Refused()
    {
        File.Delete(Path.Combine(_dir, "notes", "readme.txt"));
        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(_dir));
        Assert.Equal(["notes/readme.txt: missing"], ex.Problems);
    }

    [Fact]
    public void Load_WrongFixedDimension_RefusedWithBothShapes()
    {
        EditManifest(m => Input(m, "image_encoder", 0)["shape"] = new JsonArray("batch", 3, 480, 480));
        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(_dir));
        Assert.Contains("image_encoder.onnx: input 'pixel_values' has shape [batch,3,32,32], the manifest says [batch,3,480,480]", ex.Problems);
    }

    [Fact]
    public void Load_FixedWhereGraphIsSymbolic_Refused()
    {
        EditManifest(m => Input(m, "image_encoder", 0)["shape"] = new JsonArray(1, 3, 32, 32));
        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(_dir));
        Assert.Contains("image_encoder.onnx: input 'pixel_values' has shape [batch,3,32,32], the manifest says [1,3,32,32]", ex.Problems);
    }

    [Fact]
    public void Load_WrongElementType_Refused()
    {
        EditManifest(m => Input(m, "text_encoder", 0)["element_type"] = "int32");
        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(_dir));
        Assert.Contains("text_encoder.onnx: input 'input_ids' has element type int64, the manifest says int32", ex.Problems);
    }

    [Fact]
    public void Load_WrongInputName_RefusedListingTheGraphsNames()
    {
        EditManifest(m => Input(m, "text_encoder", 2)["name"] = "eos");
        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(_dir));
        Assert.Contains("text_encoder.onnx: input 'eos' is missing (the graph's inputs are: input_ids, attention_mask, eos_index)", ex.Problems);
        Assert.Contains("text_encoder.onnx: input 'eos_index' is in the graph but not in the manifest", ex.Problems);
    }

    [Fact]
    public void Load_WrongOutputRank_Refused()
    {
        EditManifest(m => m["graphs"]!["text_encoder"]!["outputs"]![0]!["shape"] = new JsonArray("batch", 1, Dim));
        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(_dir));
        Assert.Contains($"text_encoder.onnx: output 'text_embeds' has shape [batch,{Dim}], the manifest says [batch,1,{Dim}]", ex.Problems);
    }

    [Fact]
    public void Load_GraphThatIsNotOnnx_RefusedNamingTheFile()
    {
        byte[] junk = "not a graph"u8.ToArray();
        File.WriteAllBytes(Path.Combine(_dir, "image_encoder.onnx"), junk);
        EditManifest(m => m["files"]!["image_encoder.onnx"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(junk)));
        var ex = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(_dir));
        Assert.StartsWith("image_encoder.onnx: ONNX Runtime cannot load graph 'image_encoder'", Assert.Single(ex.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_PathEscapingThePackage_Refused()
    {
        EditManifest(m => m["files"]!["../outside.txt"] = "00");
        var report = PackageValidator.Check(_dir);
        Assert.Contains("../outside.txt: path must be relative to the package folder and stay inside it", report.Problems);
    }

    [Fact]
    public void Check_UnlistedGraphFile_Refused()
    {
        EditManifest(m => m["files"]!.AsObject().Remove("text_encoder.onnx"));
        var report = PackageValidator.Check(_dir);
        Assert.Contains("medserve.json: graph 'text_encoder' file 'text_encoder.onnx' is not listed in files (every file needs a checksum)", report.Problems);
    }

    [Theory]
    [InlineData("format_version", "2", "medserve.json: format_version is 2; this build reads 1")]
    [InlineData("name", "\"Bad Name\"", "medserve.json: name 'Bad Name' must be 1-64 characters of a-z, 0-9, '-' or '_'")]
    public void Check_BadManifestValue_Refused(string key, string json, string expected)
    {
        EditManifest(m => m[key] = JsonNode.Parse(json));
        Assert.Contains(expected, PackageValidator.Check(_dir).Problems);
    }

    [Fact]
    public void Check_NonPositiveLimits_Refused()
    {
        EditManifest(m => m["limits"] = new JsonObject { ["max_rows"] = 0, ["max_batch_size"] = 4 });
        Assert.Contains("medserve.json: limits.max_rows, limits.max_batch_size and limits.max_prompts must be at least 1", PackageValidator.Check(_dir).Problems);
    }

    [Fact]
    public void Check_PartialSections_KeepTheDocumentedDefaults()
    {
        EditManifest(m =>
        {
            m["limits"] = new JsonObject { ["max_batch_size"] = 4 };
            m["preprocessing"] = new JsonObject { ["image_size"] = Size };
            m["tokenizer"] = new JsonObject { ["kind"] = "clip_bpe" };
        });
        var report = PackageValidator.Check(_dir);
        var manifest = report.Manifest!;
        Assert.Equal((1024, 4, 16), (manifest.Limits.MaxRows, manifest.Limits.MaxBatchSize, manifest.Limits.MaxPrompts));
        Assert.Equal(("bicubic", 1f / 255f), (manifest.Preprocessing!.Resample, manifest.Preprocessing.Scale));
        Assert.Equal(77, manifest.Tokenizer!.ContextLength);
        Assert.DoesNotContain(report.Problems, p => p.Contains("limits", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_GraphMaxBatchSizeBelowOne_Refused()
    {
        EditManifest(m => m["graphs"]!["text_encoder"]!["max_batch_size"] = 0);
        Assert.Contains("medserve.json: graph 'text_encoder' max_batch_size must be at least 1", PackageValidator.Check(_dir).Problems);
    }

    [Fact]
    public void BatchLimit_GraphValueOverridesThePackageLimit()
    {
        EditManifest(m =>
        {
            m["graphs"]!["text_encoder"]!["max_batch_size"] = 3;
            m["limits"] = new JsonObject { ["max_batch_size"] = 5 };
        });
        var report = PackageValidator.Check(_dir);
        Assert.Empty(report.Problems);
        Assert.Equal(3, report.Manifest!.BatchLimit("text_encoder"));
        Assert.Equal(5, report.Manifest.BatchLimit("image_encoder"));
        Assert.Equal(5, report.Manifest.BatchLimit("no_such_graph"));
    }

    [Fact]
    public void Check_ZeroMaxPrompts_Refused()
    {
        EditManifest(m => m["limits"] = new JsonObject { ["max_prompts"] = 0 });
        Assert.Contains("medserve.json: limits.max_rows, limits.max_batch_size and limits.max_prompts must be at least 1", PackageValidator.Check(_dir).Problems);
    }

    [Fact]
    public void Check_TargetDistributionsNotListed_Refused()
    {
        EditManifest(m => m["target_distributions"] = "target_dist.json");
        Assert.Contains("medserve.json: target_distributions file 'target_dist.json' is not listed in files (every file needs a checksum)", PackageValidator.Check(_dir).Problems);
    }

    [Fact]
    public void Check_UnknownManifestKey_Refused()
    {
        EditManifest(m => m["graphz"] = new JsonObject());
        var problem = Assert.Single(PackageValidator.Check(_dir).Problems);
        Assert.StartsWith("medserve.json: not a valid manifest", problem, StringComparison.Ordinal);
        Assert.Contains("graphz", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NoManifest_Refused()
    {
        File.Delete(Path.Combine(_dir, "medserve.json"));
        Assert.Equal(["medserve.json: missing (a model package folder holds a medserve.json manifest)"], PackageValidator.Check(_dir).Problems);
    }

    [Fact]
    public void Check_MissingFolder_Refused()
    {
        string missing = Path.Combine(_dir, "nope");
        Assert.Equal([$"folder '{missing}' does not exist"], PackageValidator.Check(missing).Problems);
    }
}
