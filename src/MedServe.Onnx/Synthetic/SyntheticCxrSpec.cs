namespace MedServe.Onnx.Synthetic;

/// <summary>
/// The sizes and script of a synthetic CXRReportGen package (see <see cref="SyntheticCxrReportGen"/>).
/// </summary>
public sealed record SyntheticCxrSpec
{
    /// <summary>The number of token ids (logits width, embedding rows).</summary>
    public required int VocabularySize { get; init; }

    /// <summary>The square side of the vision input. <value>The default is 32.</value></summary>
    public int ImageSize { get; init; } = 32;

    /// <summary>The patch side; the vision graph gives (ImageSize / PatchSize)² embeddings per image. <value>The default is 8.</value></summary>
    public int PatchSize { get; init; } = 8;

    /// <summary>The language model width H. <value>The default is 16.</value></summary>
    public int HiddenSize { get; init; } = 16;

    /// <summary>The number of decoder layers (each with its own past/present key and value). <value>The default is 2.</value></summary>
    public int Layers { get; init; } = 2;

    /// <summary>The number of attention (and key/value) heads; must divide <see cref="HiddenSize"/>. <value>The default is 2.</value></summary>
    public int Heads { get; init; } = 2;

    /// <summary>The token whose embedding carries the marker flag: the last special token of the chat template.</summary>
    public required int MarkerTokenId { get; init; }

    /// <summary>How many prompt tokens follow the marker; the script starts at the last prompt token.</summary>
    public int Lead { get; init; }

    /// <summary>
    /// The scripts: <c>Scripts[0]</c> is emitted when the images are dark on average (sum of the image
    /// embeddings' channel 0 ≤ 0), <c>Scripts[1]</c> when they are bright. Step <c>r</c> of generation
    /// emits <c>script[r]</c>; past its end the last token repeats. Empty for no script.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<int>> Scripts { get; init; } = [];

    /// <summary>The logit added to a script token. <value>The default is 100.</value></summary>
    public float ScriptLogit { get; init; } = 100f;

    /// <summary>The scale of the attention-driven logits (the part the KV cache feeds). <value>The default is 1.</value></summary>
    public float ModelLogitScale { get; init; } = 1f;

    /// <summary>
    /// The element type of every float tensor the graphs take and give (pixels, embeddings, logits, the
    /// key/value cache): <see cref="OnnxElementType.Float16"/> builds float16 variants that Cast around the
    /// same float32 bodies (<see cref="SyntheticPrecision"/>). <value>The default is <see cref="OnnxElementType.Float"/>.</value>
    /// </summary>
    public OnnxElementType FloatType { get; init; } = OnnxElementType.Float;

    /// <summary>The patch embeddings per image.</summary>
    public int ImageTokens => (ImageSize / PatchSize) * (ImageSize / PatchSize);

    /// <summary>The width of one head.</summary>
    public int HeadDim => HiddenSize / Heads;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(VocabularySize, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(PatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Layers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Heads, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(Lead);
        ArgumentOutOfRangeException.ThrowIfNegative(MarkerTokenId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(MarkerTokenId, VocabularySize);
        SyntheticPrecision.Validate(FloatType);
        if (ImageSize % PatchSize != 0 || HiddenSize % Heads != 0 || HiddenSize / Heads < 2 || HiddenSize < 4)
        {
            throw new ArgumentException("ImageSize must be a multiple of PatchSize, HiddenSize a multiple of Heads with at least 2 channels per head, HiddenSize at least 4");
        }

        if (Scripts.Count is not (0 or 2) || Scripts.Any(s => s.Count == 0 || s.Any(t => t < 0 || t >= VocabularySize)))
        {
            throw new ArgumentException("Scripts must be empty or hold two non-empty scripts of ids below VocabularySize");
        }
    }
}
