using MedServe.Inference.Packages;
using MedServe.Inference.Tokenization;
using MedServe.Models.MedImageInsight;
using MedServe.Models.MedImageParse;
using MedServe.Onnx;
using MedServe.Onnx.Synthetic;

namespace MedServe.Models.Demo;

/// <summary>
/// Writes the demo packages <c>medserve demo</c> serves: real signatures and real loading code, tiny
/// graphs with deterministic synthetic weights (see <see cref="SyntheticMedImageInsight"/>), and a
/// small tokenizer vocabulary learned by <see cref="ClipVocabularyBuilder"/>. Every manifest says
/// <c>"synthetic": true</c>; the server warns at start and marks each response.
/// </summary>
public static class DemoPackages
{
    /// <summary>The name (and endpoint) of the demo MedImageInsight package.</summary>
    public const string MedImageInsightName = "medimageinsight";

    /// <summary>The name (and endpoint) of the compute-heavy MedImageInsight package (<c>demo --compute-heavy</c>).</summary>
    public const string ComputeHeavyName = "medimageinsight-heavy";

    /// <summary>The name (and endpoint) of the demo MedImageParse package.</summary>
    public const string MedImageParseName = "medimageparse";

    /// <summary>The modality of the demo package's synthetic target distributions.</summary>
    public const string DemoModality = "CT-Abdomen";

    /// <summary>The demo MedImageParse logit scale; BiomedParse clamps exp(logit_scale) at 100 (exp(4.6052) ≈ 100).</summary>
    public const double DemoParseLogitScale = 4.6052;

    /// <summary>The name (and endpoint) of the demo CXRReportGen package.</summary>
    public const string CxrReportGenName = "cxrreportgen";

    /// <summary>The demo logit scale: the published MedImageInsight value, so clients' exp() gives ≈ 91.2.</summary>
    public const double DemoLogitScale = 4.513362;

    /// <summary>The demo MedImageParse image encoder's max_batch_size: images per batched run.</summary>
    public const int DemoParseImageBatch = 4;

    /// <summary>The demo MedImageParse text encoder's max_batch_size: prompts per run.</summary>
    public const int DemoParseTextBatch = 16;

    /// <summary>The version written into demo manifests.</summary>
    public const string Version = "0.1.0-synthetic";

    /// <summary>Writes every demo package below <paramref name="root"/>; returns their folders, default first.</summary>
    public static IReadOnlyList<string> WriteAll(string root) =>
        [
            WriteMedImageInsight(Path.Combine(root, MedImageInsightName)),
            WriteMedImageParse(Path.Combine(root, MedImageParseName)),
            CxrReportGenDemoPackage.Write(Path.Combine(root, CxrReportGenName)),
        ];

    /// <summary>Writes the demo MedImageInsight package into <paramref name="directory"/>.</summary>
    /// <param name="directory">The package folder.</param>
    /// <param name="embeddingDim">The embedding width D.</param>
    /// <param name="floatType">The encoders' float type: float32, or <see cref="OnnxElementType.Float16"/> for a package whose graphs take and give float16.</param>
    public static string WriteMedImageInsight(string directory, int embeddingDim = SyntheticMedImageInsight.DefaultEmbeddingDim,
        OnnxElementType floatType = OnnxElementType.Float) =>
        WriteMedImageInsight(
            directory,
            MedImageInsightName,
            SyntheticMedImageInsight.ImageEncoderBytes(SyntheticMedImageInsight.DefaultImageSize, embeddingDim, floatType),
            embeddingDim,
            "SYNTHETIC demo package: MedImageInsight signatures with tiny deterministic graphs. Outputs are test values, not predictions.",
            maxBatchSize: 8,
            floatType,
            textEncoder: null);

    /// <summary>
    /// Writes the compute-heavy MedImageInsight package (named <see cref="ComputeHeavyName"/>) into
    /// <paramref name="directory"/>: the demo package with the encoders of <see cref="SyntheticComputeHeavy"/>
    /// (≈ 98 MFLOP per image, ≈ 101 MFLOP per text row), for measuring batching and threads on a CPU.
    /// </summary>
    public static string WriteComputeHeavyMedImageInsight(string directory) =>
        WriteMedImageInsight(
            directory,
            ComputeHeavyName,
            SyntheticComputeHeavy.ImageEncoderBytes(),
            SyntheticMedImageInsight.DefaultEmbeddingDim,
            "SYNTHETIC compute-heavy package: MedImageInsight signatures; the image encoder is a stack of convolutions and MatMuls of about 98 MFLOP per image, the text encoder a chain of MatMuls of about 101 MFLOP per row, for benchmarks. Outputs are test values, not predictions.",
            maxBatchSize: 16,
            OnnxElementType.Float,
            SyntheticComputeHeavy.TextEncoderBytes());

    private static string WriteMedImageInsight(string directory, string name, byte[] imageEncoder, int embeddingDim, string description, int maxBatchSize,
        OnnxElementType floatType, byte[]? textEncoder)
    {
        const string MergesFile = "tokenizer/demo_bpe_vocab.txt.gz";
        byte[] merges = ClipVocabularyBuilder.BuildOpenAiMergesGz();
        // The text encoder's scaling depends on the vocabulary size, so the merges are written and read first.
        string mergesPath = Path.Combine(directory, MergesFile);
        Directory.CreateDirectory(Path.GetDirectoryName(mergesPath)!);
        File.WriteAllBytes(mergesPath, merges);
        int vocabularySize = ClipTokenizer.FromOpenAiMerges(mergesPath).VocabularySize;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["image_encoder.onnx"] = imageEncoder,
            ["text_encoder.onnx"] = textEncoder ?? SyntheticMedImageInsight.TextEncoderBytes(embeddingDim, vocabularySize, floatType),
            [MergesFile] = merges,
        };

        var manifest = new PackageManifest
        {
            FormatVersion = PackageManifest.CurrentFormatVersion,
            Task = MedImageInsightModel.TaskName,
            Name = name,
            Version = Version,
            Synthetic = true,
            Description = description,
            License = "MIT (generated by MedServe; contains no model weights)",
            Source = "medserve demo (MedServe.Onnx.Synthetic)",
            Graphs = new Dictionary<string, GraphSignature>(StringComparer.Ordinal)
            {
                [MedImageInsightModel.ImageEncoder] = ToGraph("image_encoder.onnx", SyntheticMedImageInsight.ImageEncoderSignature(SyntheticMedImageInsight.DefaultImageSize, embeddingDim, floatType)),
                [MedImageInsightModel.TextEncoder] = ToGraph("text_encoder.onnx", SyntheticMedImageInsight.TextEncoderSignature(embeddingDim, floatType)),
            },
            Preprocessing = MedImageInsightDefaults.Preprocessing,
            Tokenizer = new TokenizerSettings { Kind = TokenizerLoader.ClipBpe, Merges = MergesFile, ContextLength = SyntheticMedImageInsight.ContextLength },
            Constants = new Dictionary<string, double>(StringComparer.Ordinal) { [MedImageInsightModel.LogitScale] = DemoLogitScale },
            Limits = new PackageLimits { MaxRows = 1024, MaxBatchSize = maxBatchSize },
        };
        PackageWriter.Write(directory, manifest, files);
        return directory;
    }

    /// <summary>
    /// Writes the demo MedImageParse package into <paramref name="directory"/>: the three synthetic graphs
    /// (<see cref="SyntheticMedImageParse"/>; the last query's mask follows the bright parts of the image's red
    /// channel, every other query lights its own rectangle), the demo CLIP vocabulary, and synthetic target
    /// distributions for <see cref="DemoModality"/> so detection and recognition can be tried. The encoders
    /// have symbolic batch dimensions (graph max_batch_size <see cref="DemoParseImageBatch"/> images and
    /// <see cref="DemoParseTextBatch"/> prompts), so a deployment's batching coalesces them; the decoder takes one row.
    /// </summary>
    /// <param name="directory">The package folder.</param>
    /// <param name="imageSize">The encoder's square input S.</param>
    /// <param name="dim">The embedding width D.</param>
    /// <param name="queryCount">The decoder's queries Q.</param>
    /// <param name="maskSize">The decoder's mask size M.</param>
    /// <param name="targetDistributions">The target_dist.json bytes; the demo's when null, none when empty.</param>
    /// <param name="maxPrompts">limits.max_prompts.</param>
    /// <param name="imageQuery">The decoder query whose mask follows the image; the last one when null.</param>
    /// <param name="floatType">The graphs' float type: float32, or <see cref="OnnxElementType.Float16"/> for a package whose graphs take and give float16.</param>
    /// <param name="fixedImageBatch">True for an image encoder whose batch dimension is fixed to 1 (as the reference export's), with no graph max_batch_size.</param>
    public static string WriteMedImageParse(
        string directory,
        int imageSize = SyntheticMedImageParse.DefaultImageSize,
        int dim = SyntheticMedImageParse.DefaultEmbeddingDim,
        int queryCount = SyntheticMedImageParse.DefaultQueryCount,
        int maskSize = SyntheticMedImageParse.DefaultMaskSize,
        byte[]? targetDistributions = null,
        int maxPrompts = MedImageParsePrompts.DefaultMaxPrompts,
        int? imageQuery = null,
        OnnxElementType floatType = OnnxElementType.Float,
        bool fixedImageBatch = false)
    {
        const string MergesFile = "tokenizer/demo_bpe_vocab.txt.gz";
        const string TargetsFile = "target_dist.json";
        targetDistributions ??= DemoTargetDistributions();
        string? batchDim = fixedImageBatch ? null : SyntheticMedImageParse.BatchDim;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["image_encoder.onnx"] = SyntheticMedImageParse.ImageEncoderBytes(imageSize, dim, maskSize, floatType, batchDim),
            ["text_encoder.onnx"] = SyntheticMedImageParse.TextEncoderBytes(dim, queryCount, floatType),
            ["decoder.onnx"] = SyntheticMedImageParse.DecoderBytes(dim, queryCount, maskSize, imageQuery ?? (queryCount - 1), floatType),
            [MergesFile] = ClipVocabularyBuilder.BuildOpenAiMergesGz(),
        };
        if (targetDistributions.Length > 0)
        {
            files[TargetsFile] = targetDistributions;
        }

        var manifest = new PackageManifest
        {
            FormatVersion = PackageManifest.CurrentFormatVersion,
            Task = MedImageParseModel.TaskName,
            Name = MedImageParseName,
            Version = Version,
            Synthetic = true,
            Description = "SYNTHETIC demo package: MedImageParse signatures with tiny deterministic graphs (query k lights a fixed rectangle; the last query follows the image). Outputs are test values, not predictions.",
            License = "MIT (generated by MedServe; contains no model weights)",
            Source = "medserve demo (MedServe.Onnx.Synthetic)",
            Graphs = new Dictionary<string, GraphSignature>(StringComparer.Ordinal)
            {
                [MedImageParseModel.ImageEncoder] = ToGraph("image_encoder.onnx", SyntheticMedImageParse.ImageEncoderSignature(imageSize, dim, maskSize, floatType, batchDim)) with
                {
                    MaxBatchSize = fixedImageBatch ? null : DemoParseImageBatch,
                },
                [MedImageParseModel.TextEncoder] = ToGraph("text_encoder.onnx", SyntheticMedImageParse.TextEncoderSignature(dim, floatType)) with { MaxBatchSize = DemoParseTextBatch },
                [MedImageParseModel.Decoder] = ToGraph("decoder.onnx", SyntheticMedImageParse.DecoderSignature(dim, queryCount, maskSize, floatType)),
            },
            Preprocessing = new PreprocessingSettings
            {
                ImageSize = imageSize,
                Resample = "bicubic",
                Scale = 1f,
                Mean = MedImageParsePreprocessor.Mean,
                Std = MedImageParsePreprocessor.Std,
            },
            Tokenizer = new TokenizerSettings { Kind = TokenizerLoader.ClipBpe, Merges = MergesFile, ContextLength = SyntheticMedImageParse.ContextLength },
            Constants = new Dictionary<string, double>(StringComparer.Ordinal) { [MedImageParseModel.LogitScale] = DemoParseLogitScale },
            TargetDistributions = targetDistributions.Length > 0 ? TargetsFile : null,
            Limits = new PackageLimits { MaxRows = 16, MaxBatchSize = 1, MaxPrompts = maxPrompts },
        };
        PackageWriter.Write(directory, manifest, files);
        return directory;
    }

    /// <summary>
    /// Synthetic existence distributions for the demo: for <see cref="DemoModality"/>, four Beta(a, b) per
    /// target (mean mask value, mean R, G, B, each /256), broad enough that the synthetic masks pass.
    /// </summary>
    public static byte[] DemoTargetDistributions() => System.Text.Encoding.UTF8.GetBytes(
        "{\"" + DemoModality + "\": {" +
        "\"liver\": [[8.0, 2.0], [2.0, 2.0], [2.0, 2.0], [2.0, 2.0]], " +
        "\"kidney\": [[8.0, 2.0], [2.0, 3.0], [2.0, 3.0], [2.0, 3.0]], " +
        "\"pancreas\": [[6.0, 2.0], [2.0, 2.0], [2.0, 2.0], [2.0, 2.0]], " +
        "\"tumor\": [[8.0, 2.0], [3.0, 2.0], [3.0, 2.0], [3.0, 2.0]]}}");

    /// <summary>Turns a writer-side signature into a manifest graph entry.</summary>
    public static GraphSignature ToGraph(string file, OnnxModelSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return new GraphSignature
        {
            File = file,
            Inputs = [.. signature.Inputs.Select(ToTensor)],
            Outputs = [.. signature.Outputs.Select(ToTensor)],
        };
    }

    private static TensorSignature ToTensor(OnnxTensorInfo info) => new()
    {
        Name = info.Name,
        ElementType = info.ElementType switch
        {
            OnnxElementType.Float => "float32",
            OnnxElementType.Float16 => "float16",
            OnnxElementType.Double => "float64",
            OnnxElementType.Int64 => "int64",
            OnnxElementType.Int32 => "int32",
            OnnxElementType.UInt8 => "uint8",
            OnnxElementType.Int8 => "int8",
            OnnxElementType.Bool => "bool",
            var other => throw new ArgumentOutOfRangeException(nameof(info), other, "element type has no manifest name"),
        },
        Shape = [.. info.Shape.Select(d => d.Value is long v ? TensorDimension.Fixed(v) : TensorDimension.Named(d.Param!))],
    };
}
