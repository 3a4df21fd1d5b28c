namespace MedServe.Onnx.Synthetic;

/// <summary>
/// Tiny stand-ins for the MedImageInsight image and text encoders: the real input and output names,
/// element types and shapes, with deterministic linear weights (<see cref="SyntheticWeights"/>) so that
/// <see cref="ExpectedImageEmbedding"/> and <see cref="ExpectedTextEmbedding"/> predict the models'
/// outputs exactly (to float rounding, well within 1e-4). Used by tests and by <c>medserve demo</c>.
/// The graphs do not normalise; the serving pipeline L2-normalises.
/// </summary>
public static class SyntheticMedImageInsight
{
    /// <summary>The metadata key every synthetic model carries, with value <c>"true"</c>.</summary>
    public const string SyntheticMetadataKey = "medserve.synthetic";

    /// <summary>The metadata key naming the recipe and its version, e.g. <c>"image_encoder/v1"</c>.</summary>
    public const string RecipeMetadataKey = "medserve.synthetic.recipe";

    /// <summary>The symbolic name of the batch dimension.</summary>
    public const string BatchDim = "batch";

    /// <summary>The default square input size in pixels.</summary>
    /// <value>480.</value>
    public const int DefaultImageSize = 480;

    /// <summary>The default embedding dimension.</summary>
    /// <value>1024.</value>
    public const int DefaultEmbeddingDim = 1024;

    /// <summary>The default tokenizer vocabulary size (the CLIP BPE vocabulary).</summary>
    /// <value>49408.</value>
    public const int DefaultVocabSize = 49408;

    /// <summary>The fixed token sequence length of the text encoder.</summary>
    public const int ContextLength = 77;

    /// <summary>The image encoder's graph name.</summary>
    public const string ImageEncoderGraph = "image_encoder";

    /// <summary>The text encoder's graph name.</summary>
    public const string TextEncoderGraph = "text_encoder";

    /// <summary>The image encoder's input: float <c>[batch, 3, S, S]</c>, NCHW, already normalised.</summary>
    public const string PixelValues = "pixel_values";

    /// <summary>The image encoder's output: float <c>[batch, D]</c>.</summary>
    public const string ImageEmbeds = "image_embeds";

    /// <summary>The text encoder's token ids input: int64 <c>[batch, 77]</c>.</summary>
    public const string InputIds = "input_ids";

    /// <summary>The text encoder's attention mask input: int64 <c>[batch, 77]</c>, 1 for real tokens.</summary>
    public const string AttentionMask = "attention_mask";

    /// <summary>The text encoder's end-of-text position input: int64 <c>[batch]</c>, in [0, 77).</summary>
    public const string EosIndex = "eos_index";

    /// <summary>The text encoder's output: float <c>[batch, D]</c>.</summary>
    public const string TextEmbeds = "text_embeds";

    /// <summary>The image encoder's inputs and outputs.</summary>
    /// <param name="imageSize">The square input size; a multiple of 4.</param>
    /// <param name="dim">The embedding dimension.</param>
    /// <param name="floatType"><see cref="OnnxElementType.Float"/>, or <see cref="OnnxElementType.Float16"/> for float16 pixels and embeddings.</param>
    public static OnnxModelSignature ImageEncoderSignature(int imageSize = DefaultImageSize, int dim = DefaultEmbeddingDim,
        OnnxElementType floatType = OnnxElementType.Float) =>
        SyntheticImageEncoder.Signature(imageSize, dim, floatType);

    /// <summary>The text encoder's inputs and outputs.</summary>
    /// <param name="dim">The embedding dimension.</param>
    /// <param name="floatType"><see cref="OnnxElementType.Float"/>, or <see cref="OnnxElementType.Float16"/> for a float16 embedding.</param>
    public static OnnxModelSignature TextEncoderSignature(int dim = DefaultEmbeddingDim, OnnxElementType floatType = OnnxElementType.Float) =>
        SyntheticTextEncoder.Signature(dim, floatType);

    /// <summary>
    /// Builds the image encoder: AveragePool with kernel and stride S/4 to a 4×4 grid per channel,
    /// Flatten to 48 features, MatMul by <c>W[48, D]</c> (seed <see cref="SyntheticWeights.ImageSeed"/>), Add bias.
    /// </summary>
    /// <param name="imageSize">The square input size; a multiple of 4.</param>
    /// <param name="dim">The embedding dimension.</param>
    /// <param name="floatType"><see cref="OnnxElementType.Float"/>, or <see cref="OnnxElementType.Float16"/>: float16 pixels in, Cast to float32, the same body, Cast back.</param>
    /// <returns>The serialized ONNX model.</returns>
    public static byte[] ImageEncoderBytes(int imageSize = DefaultImageSize, int dim = DefaultEmbeddingDim,
        OnnxElementType floatType = OnnxElementType.Float) =>
        SyntheticImageEncoder.Build(imageSize, dim, floatType);

    /// <summary>
    /// Builds the text encoder: 79 features (the 77 masked ids / vocab, the id at <c>eos_index</c> / vocab,
    /// <c>eos_index</c> / 77), MatMul by <c>W[79, D]</c> (seed <see cref="SyntheticWeights.TextSeed"/>), Add bias.
    /// </summary>
    /// <param name="dim">The embedding dimension.</param>
    /// <param name="vocabSize">The divisor that scales token ids into [0, 1).</param>
    /// <param name="floatType"><see cref="OnnxElementType.Float"/>, or <see cref="OnnxElementType.Float16"/>: the same body, its embedding Cast to float16.</param>
    /// <returns>The serialized ONNX model.</returns>
    public static byte[] TextEncoderBytes(int dim = DefaultEmbeddingDim, int vocabSize = DefaultVocabSize,
        OnnxElementType floatType = OnnxElementType.Float) =>
        SyntheticTextEncoder.Build(dim, vocabSize, floatType);

    /// <summary>The unnormalised embedding the image encoder returns for one image.</summary>
    /// <param name="pixelValuesOneImageNchw">One image's <c>3·S·S</c> values, channel-major (one batch row of <c>pixel_values</c>).</param>
    /// <param name="imageSize">The model's square input size.</param>
    /// <param name="dim">The model's embedding dimension.</param>
    public static float[] ExpectedImageEmbedding(
        ReadOnlySpan<float> pixelValuesOneImageNchw,
        int imageSize = DefaultImageSize,
        int dim = DefaultEmbeddingDim) =>
        SyntheticImageEncoder.Expected(pixelValuesOneImageNchw, imageSize, dim);

    /// <summary>The unnormalised embedding the text encoder returns for one sequence.</summary>
    /// <param name="ids">The 77 token ids (one batch row of <c>input_ids</c>).</param>
    /// <param name="mask">The 77 attention-mask values.</param>
    /// <param name="eosIndex">The end-of-text position, in [0, 77).</param>
    /// <param name="dim">The model's embedding dimension.</param>
    /// <param name="vocabSize">The model's vocabulary size.</param>
    public static float[] ExpectedTextEmbedding(
        ReadOnlySpan<long> ids,
        ReadOnlySpan<long> mask,
        long eosIndex,
        int dim = DefaultEmbeddingDim,
        int vocabSize = DefaultVocabSize) =>
        SyntheticTextEncoder.Expected(ids, mask, eosIndex, dim, vocabSize);
}
