using System.Text.Json.Serialization;

namespace MedServe.Inference.Packages;

/// <summary>
/// The <c>medserve.json</c> manifest at the root of a model package. docs/model-packages.md is the
/// user-facing description of every key.
/// </summary>
/// <remarks>
/// The manifest types have settable rather than init-only properties on purpose: System.Text.Json's
/// source generator sets every init-only property in its object initializer, so a key left out of the
/// file would get 0 or null instead of the documented default (dotnet/runtime#84484).
/// </remarks>
public sealed record PackageManifest
{
    /// <summary>The manifest file name inside a package folder.</summary>
    public const string FileName = "medserve.json";

    /// <summary>The only format version this build reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The manifest format version; must equal <see cref="CurrentFormatVersion"/>.</summary>
    [JsonPropertyName("format_version")]
    public int FormatVersion { get; set; }

    /// <summary>The model family: <c>medimageinsight</c>, <c>medimageparse</c> or <c>cxrreportgen</c>.</summary>
    [JsonPropertyName("task")]
    public string Task { get; set; } = "";

    /// <summary>The package name; also the endpoint name when served.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    /// <summary>The package version.</summary>
    [JsonPropertyName("version")]
    public string Version { get; set; } = "";

    /// <summary>True when the weights are synthetic (demo and test packages), not the official ones.</summary>
    [JsonPropertyName("synthetic")]
    public bool Synthetic { get; set; }

    /// <summary>Free text shown by <c>models check</c>.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; set; }

    /// <summary>The licence of the weights.</summary>
    [JsonPropertyName("license")]
    public string? License { get; set; }

    /// <summary>Where the weights came from (checkpoint name, commit, export tool version).</summary>
    [JsonPropertyName("source")]
    public string? Source { get; set; }

    /// <summary>Every file of the package (relative path with forward slashes) and its SHA-256, lower-case hex.</summary>
    [JsonPropertyName("files")]
    public IReadOnlyDictionary<string, string> Files { get; set; } = new Dictionary<string, string>();

    /// <summary>The ONNX graphs by role (e.g. <c>image_encoder</c>), each with its expected signature.</summary>
    [JsonPropertyName("graphs")]
    public IReadOnlyDictionary<string, GraphSignature> Graphs { get; set; } = new Dictionary<string, GraphSignature>();

    /// <summary>Image preparation settings, when the model takes images.</summary>
    [JsonPropertyName("preprocessing")]
    public PreprocessingSettings? Preprocessing { get; set; }

    /// <summary>Tokenizer settings, when the model takes text.</summary>
    [JsonPropertyName("tokenizer")]
    public TokenizerSettings? Tokenizer { get; set; }

    /// <summary>Generation settings, for a generative model (CXRReportGen).</summary>
    [JsonPropertyName("generation")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public GenerationSettings? Generation { get; set; }

    /// <summary>Model constants, e.g. <c>logit_scale</c>.</summary>
    [JsonPropertyName("constants")]
    public IReadOnlyDictionary<string, double> Constants { get; set; } = new Dictionary<string, double>();

    /// <summary>
    /// MedImageParse: the object-existence distributions (BiomedParse's <c>target_dist.json</c>), relative to
    /// the package folder and listed in <see cref="Files"/>; absent when the package has none (detection and
    /// recognition are then refused).
    /// </summary>
    [JsonPropertyName("target_distributions")]
    public string? TargetDistributions { get; set; }

    /// <summary>Serving limits.</summary>
    [JsonPropertyName("limits")]
    public PackageLimits Limits { get; set; } = new();

    /// <summary>
    /// The most items one run of the graph <paramref name="role"/> takes: its own <c>max_batch_size</c>,
    /// else <c>limits.max_batch_size</c> (also for a role the package does not have).
    /// </summary>
    /// <param name="role">The graph role, e.g. <c>text_encoder</c>.</param>
    /// <returns>At least 1 for a validated manifest.</returns>
    public int BatchLimit(string role) =>
        Graphs.TryGetValue(role, out var graph) && graph.MaxBatchSize is { } size ? size : Limits.MaxBatchSize;
}

/// <summary>The expected signature of one ONNX graph of a package.</summary>
public sealed record GraphSignature
{
    /// <summary>The graph file, relative to the package folder; must be listed in <see cref="PackageManifest.Files"/>.</summary>
    [JsonPropertyName("file")]
    public string File { get; set; } = "";

    /// <summary>The graph inputs, in order.</summary>
    [JsonPropertyName("inputs")]
    public IReadOnlyList<TensorSignature> Inputs { get; set; } = [];

    /// <summary>The graph outputs, in order.</summary>
    [JsonPropertyName("outputs")]
    public IReadOnlyList<TensorSignature> Outputs { get; set; } = [];

    /// <summary>
    /// The most items (images, prompts) this graph takes in one run, when it differs from the package's
    /// <c>limits.max_batch_size</c>; each model checks it against the graph's batch dimension.
    /// </summary>
    /// <value>The default is null: <c>limits.max_batch_size</c> (see <see cref="PackageManifest.BatchLimit"/>).</value>
    [JsonPropertyName("max_batch_size")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxBatchSize { get; set; }
}

/// <summary>One named tensor of a graph signature.</summary>
public sealed record TensorSignature
{
    /// <summary>The tensor name in the graph.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    /// <summary>The element type: <c>float32</c>, <c>float16</c>, <c>int64</c>, <c>int32</c>, <c>uint8</c> or <c>bool</c>.</summary>
    [JsonPropertyName("element_type")]
    public string ElementType { get; set; } = "";

    /// <summary>
    /// The shape: each dimension a number (fixed) or a string (a symbolic dimension such as <c>batch</c>).
    /// </summary>
    [JsonPropertyName("shape")]
    public IReadOnlyList<TensorDimension> Shape { get; set; } = [];

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name} {ElementType}[{string.Join(",", Shape)}]";
}

/// <summary>Image preparation settings of a package.</summary>
public sealed record PreprocessingSettings
{
    /// <summary>The square side the image encoder takes.</summary>
    [JsonPropertyName("image_size")]
    public int ImageSize { get; set; }

    /// <summary>The resampling filter: <c>bicubic</c>, <c>bilinear</c> or <c>nearest</c> (Pillow semantics).</summary>
    [JsonPropertyName("resample")]
    public string Resample { get; set; } = "bicubic";

    /// <summary>Multiplier applied to 0–255 values before normalisation (1/255 for [0,1] inputs).</summary>
    [JsonPropertyName("scale")]
    public float Scale { get; set; } = 1f / 255f;

    /// <summary>Per-channel mean, RGB order, after scaling.</summary>
    [JsonPropertyName("mean")]
    public IReadOnlyList<float> Mean { get; set; } = [];

    /// <summary>Per-channel standard deviation, RGB order, after scaling.</summary>
    [JsonPropertyName("std")]
    public IReadOnlyList<float> Std { get; set; } = [];
}

/// <summary>Tokenizer settings of a package.</summary>
public sealed record TokenizerSettings
{
    /// <summary>The tokenizer kind: <c>clip_bpe</c> (CLIP byte-level BPE) or <c>sentencepiece</c> (Llama/Phi-3 BPE).</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    /// <summary>
    /// OpenAI's merges file (<c>bpe_simple_vocab_16e6.txt.gz</c> format), or a Hugging Face
    /// <c>merges.txt</c> when <see cref="Vocab"/> is given.
    /// </summary>
    [JsonPropertyName("merges")]
    public string Merges { get; set; } = "";

    /// <summary>A Hugging Face <c>vocab.json</c>; absent for the OpenAI format.</summary>
    [JsonPropertyName("vocab")]
    public string? Vocab { get; set; }

    /// <summary>A SentencePiece <c>tokenizer.model</c> (kind <c>sentencepiece</c>).</summary>
    [JsonPropertyName("model")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Model { get; set; }

    /// <summary>A Hugging Face <c>added_tokens.json</c> (token → id) for the tokens beyond the model's pieces (kind <c>sentencepiece</c>).</summary>
    [JsonPropertyName("added_tokens")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AddedTokens { get; set; }

    /// <summary>Whether encoding starts with <c>&lt;s&gt;</c> (kind <c>sentencepiece</c>). <value>The default is null: true.</value></summary>
    [JsonPropertyName("add_bos")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? AddBos { get; set; }

    /// <summary>The fixed sequence length the text encoder takes.</summary>
    [JsonPropertyName("context_length")]
    public int ContextLength { get; set; } = 77;
}

/// <summary>Serving limits of a package.</summary>
public sealed record PackageLimits
{
    /// <summary>The most rows one request may carry. <value>The default is 1024.</value></summary>
    [JsonPropertyName("max_rows")]
    public int MaxRows { get; set; } = 1024;

    /// <summary>The most rows run through a graph at once. <value>The default is 8.</value></summary>
    [JsonPropertyName("max_batch_size")]
    public int MaxBatchSize { get; set; } = 8;

    /// <summary>MedImageParse: the most <c>&amp;</c>-separated prompts in one text cell. <value>The default is 16.</value></summary>
    [JsonPropertyName("max_prompts")]
    public int MaxPrompts { get; set; } = 16;
}
