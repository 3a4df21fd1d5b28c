using System.Text.Json.Serialization;

namespace MedServe.Inference.Packages;

/// <summary>
/// The <c>medserve.json</c> manifest at the root of a model package. docs/model-packages.md is the
/// user-facing description of every key.
/// </summary>
public sealed record PackageManifest
{
    /// <summary>The manifest file name inside a package folder.</summary>
    public const string FileName = "medserve.json";

    /// <summary>The only format version this build reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The manifest format version; must equal <see cref="CurrentFormatVersion"/>.</summary>
    [JsonPropertyName("format_version")]
    public int FormatVersion { get; init; }

    /// <summary>The model family: <c>medimageinsight</c>, <c>medimageparse</c> or <c>cxrreportgen</c>.</summary>
    [JsonPropertyName("task")]
    public string Task { get; init; } = "";

    /// <summary>The package name; also the endpoint name when served.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>The package version.</summary>
    [JsonPropertyName("version")]
    public string Version { get; init; } = "";

    /// <summary>True when the weights are synthetic (demo and test packages), not the official ones.</summary>
    [JsonPropertyName("synthetic")]
    public bool Synthetic { get; init; }

    /// <summary>Free text shown by <c>models check</c>.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>The licence of the weights.</summary>
    [JsonPropertyName("license")]
    public string? License { get; init; }

    /// <summary>Where the weights came from (checkpoint name, commit, export tool version).</summary>
    [JsonPropertyName("source")]
    public string? Source { get; init; }

    /// <summary>Every file of the package (relative path with forward slashes) and its SHA-256, lower-case hex.</summary>
    [JsonPropertyName("files")]
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();

    /// <summary>The ONNX graphs by role (e.g. <c>image_encoder</c>), each with its expected signature.</summary>
    [JsonPropertyName("graphs")]
    public IReadOnlyDictionary<string, GraphSignature> Graphs { get; init; } = new Dictionary<string, GraphSignature>();

    /// <summary>Image preparation settings, when the model takes images.</summary>
    [JsonPropertyName("preprocessing")]
    public PreprocessingSettings? Preprocessing { get; init; }

    /// <summary>Tokenizer settings, when the model takes text.</summary>
    [JsonPropertyName("tokenizer")]
    public TokenizerSettings? Tokenizer { get; init; }

    /// <summary>Generation settings, for a generative model (CXRReportGen).</summary>
    [JsonPropertyName("generation")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public GenerationSettings? Generation { get; init; }

    /// <summary>Model constants, e.g. <c>logit_scale</c>.</summary>
    [JsonPropertyName("constants")]
    public IReadOnlyDictionary<string, double> Constants { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// MedImageParse: the object-existence distributions (BiomedParse's <c>target_dist.json</c>), relative to
    /// the package folder and listed in <see cref="Files"/>; absent when the package has none (detection and
    /// recognition are then refused).
    /// </summary>
    [JsonPropertyName("target_distributions")]
    public string? TargetDistributions { get; init; }

    /// <summary>Serving limits.</summary>
    [JsonPropertyName("limits")]
    public PackageLimits Limits { get; init; } = new();
}

/// <summary>The expected signature of one ONNX graph of a package.</summary>
public sealed record GraphSignature
{
    /// <summary>The graph file, relative to the package folder; must be listed in <see cref="PackageManifest.Files"/>.</summary>
    [JsonPropertyName("file")]
    public string File { get; init; } = "";

    /// <summary>The graph inputs, in order.</summary>
    [JsonPropertyName("inputs")]
    public IReadOnlyList<TensorSignature> Inputs { get; init; } = [];

    /// <summary>The graph outputs, in order.</summary>
    [JsonPropertyName("outputs")]
    public IReadOnlyList<TensorSignature> Outputs { get; init; } = [];
}

/// <summary>One named tensor of a graph signature.</summary>
public sealed record TensorSignature
{
    /// <summary>The tensor name in the graph.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>The element type: <c>float32</c>, <c>float16</c>, <c>int64</c>, <c>int32</c>, <c>uint8</c> or <c>bool</c>.</summary>
    [JsonPropertyName("element_type")]
    public string ElementType { get; init; } = "";

    /// <summary>
    /// The shape: each dimension a number (fixed) or a string (a symbolic dimension such as <c>batch</c>).
    /// </summary>
    [JsonPropertyName("shape")]
    public IReadOnlyList<TensorDimension> Shape { get; init; } = [];

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name} {ElementType}[{string.Join(",", Shape)}]";
}

/// <summary>Image preparation settings of a package.</summary>
public sealed record PreprocessingSettings
{
    /// <summary>The square side the image encoder takes.</summary>
    [JsonPropertyName("image_size")]
    public int ImageSize { get; init; }

    /// <summary>The resampling filter: <c>bicubic</c>, <c>bilinear</c> or <c>nearest</c> (Pillow semantics).</summary>
    [JsonPropertyName("resample")]
    public string Resample { get; init; } = "bicubic";

    /// <summary>Multiplier applied to 0–255 values before normalisation (1/255 for [0,1] inputs).</summary>
    [JsonPropertyName("scale")]
    public float Scale { get; init; } = 1f / 255f;

    /// <summary>Per-channel mean, RGB order, after scaling.</summary>
    [JsonPropertyName("mean")]
    public IReadOnlyList<float> Mean { get; init; } = [];

    /// <summary>Per-channel standard deviation, RGB order, after scaling.</summary>
    [JsonPropertyName("std")]
    public IReadOnlyList<float> Std { get; init; } = [];
}

/// <summary>Tokenizer settings of a package.</summary>
public sealed record TokenizerSettings
{
    /// <summary>The tokenizer kind: <c>clip_bpe</c> (CLIP byte-level BPE) or <c>sentencepiece</c> (Llama/Phi-3 BPE).</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; init; } = "";

    /// <summary>
    /// OpenAI's merges file (<c>bpe_simple_vocab_16e6.txt.gz</c> format), or a Hugging Face
    /// <c>merges.txt</c> when <see cref="Vocab"/> is given.
    /// </summary>
    [JsonPropertyName("merges")]
    public string Merges { get; init; } = "";

    /// <summary>A Hugging Face <c>vocab.json</c>; absent for the OpenAI format.</summary>
    [JsonPropertyName("vocab")]
    public string? Vocab { get; init; }

    /// <summary>A SentencePiece <c>tokenizer.model</c> (kind <c>sentencepiece</c>).</summary>
    [JsonPropertyName("model")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Model { get; init; }

    /// <summary>A Hugging Face <c>added_tokens.json</c> (token → id) for the tokens beyond the model's pieces (kind <c>sentencepiece</c>).</summary>
    [JsonPropertyName("added_tokens")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AddedTokens { get; init; }

    /// <summary>Whether encoding starts with <c>&lt;s&gt;</c> (kind <c>sentencepiece</c>). <value>The default is null: true.</value></summary>
    [JsonPropertyName("add_bos")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? AddBos { get; init; }

    /// <summary>The fixed sequence length the text encoder takes.</summary>
    [JsonPropertyName("context_length")]
    public int ContextLength { get; init; } = 77;
}

/// <summary>Serving limits of a package.</summary>
public sealed record PackageLimits
{
    /// <summary>The most rows one request may carry. <value>The default is 1024.</value></summary>
    [JsonPropertyName("max_rows")]
    public int MaxRows { get; init; } = 1024;

    /// <summary>The most rows run through a graph at once. <value>The default is 8.</value></summary>
    [JsonPropertyName("max_batch_size")]
    public int MaxBatchSize { get; init; } = 8;

    /// <summary>MedImageParse: the most <c>&amp;</c>-separated prompts in one text cell. <value>The default is 16.</value></summary>
    [JsonPropertyName("max_prompts")]
    public int MaxPrompts { get; init; } = 16;
}
