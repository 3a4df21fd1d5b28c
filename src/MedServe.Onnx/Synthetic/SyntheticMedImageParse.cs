namespace MedServe.Onnx.Synthetic;

/// <summary>
/// Tiny stand-ins for the three MedImageParse graphs (<c>image_encoder</c>, <c>text_encoder</c>,
/// <c>decoder</c>): the real input and output names, element types and shapes, with small parameterised
/// sizes and outputs chosen so a serving pipeline's result is predictable:
/// <list type="bullet">
/// <item>the class embedding of a prompt is the unit basis vector <c>e_k</c>, <c>k = ids[1] mod Q</c>
/// (<see cref="ExpectedQueryForPrompt"/>);</item>
/// <item>the caption of query <c>q</c> is <c>e_q</c>, so the cosine with a prompt's class embedding is 1
/// exactly at <c>q = k</c> and 0 elsewhere;</item>
/// <item>the mask logits of query <c>q</c> are <see cref="MaskInsideLogit"/> inside
/// <see cref="MaskRectangle"/> and <see cref="MaskOutsideLogit"/> outside;</item>
/// <item>the class logits of query <c>q</c> are <see cref="CategoryLogit"/> at
/// <see cref="ExpectedCategoryIndex"/> and 0 elsewhere, background included.</item>
/// </list>
/// Used by tests and by <c>medserve demo</c>; every model carries <c>medserve.synthetic=true</c>.
/// </summary>
public static class SyntheticMedImageParse
{
    /// <summary>The metadata key every synthetic model carries, with value <c>"true"</c>.</summary>
    public const string SyntheticMetadataKey = SyntheticMedImageInsight.SyntheticMetadataKey;

    /// <summary>The metadata key naming the recipe and its version, e.g. <c>"medimageparse/decoder/v1"</c>.</summary>
    public const string RecipeMetadataKey = SyntheticMedImageInsight.RecipeMetadataKey;

    /// <summary>The symbolic name of the prompt dimension of the text encoder.</summary>
    public const string PromptDim = "N";

    /// <summary>The symbolic name of the image encoder's batch dimension, when it has one (the reference export's is fixed to 1).</summary>
    public const string BatchDim = "batch";

    /// <summary>The symbolic name of the grounding-token dimension of the decoder.</summary>
    public const string TokenDim = "T";

    /// <summary>The default square input size in pixels.</summary>
    /// <value>1024.</value>
    public const int DefaultImageSize = 1024;

    /// <summary>The default embedding dimension.</summary>
    /// <value>512.</value>
    public const int DefaultEmbeddingDim = 512;

    /// <summary>The default number of decoder queries.</summary>
    /// <value>101.</value>
    public const int DefaultQueryCount = 101;

    /// <summary>The default square mask size of the decoder.</summary>
    /// <value>256.</value>
    public const int DefaultMaskSize = 256;

    /// <summary>The number of class logits per query: 16 categories and background.</summary>
    /// <value>17.</value>
    public const int ClassCount = 17;

    /// <summary>The number of named categories (the class logits without background).</summary>
    /// <value>16.</value>
    public const int CategoryCount = 16;

    /// <summary>The index of the background class logit.</summary>
    /// <value>16.</value>
    public const int BackgroundClass = 16;

    /// <summary>The fixed token sequence length of the text encoder.</summary>
    /// <value>77.</value>
    public const int ContextLength = SyntheticMedImageInsight.ContextLength;

    /// <summary>The mask logit inside a query's rectangle.</summary>
    /// <value>8.</value>
    public const float MaskInsideLogit = 8f;

    /// <summary>The mask logit outside a query's rectangle.</summary>
    /// <value>−8.</value>
    public const float MaskOutsideLogit = -8f;

    /// <summary>The class logit of a query's category; every other class logit, background included, is 0.</summary>
    /// <value>5.</value>
    public const float CategoryLogit = 5f;

    /// <summary>
    /// The factor from <c>mask_features</c> to the mask logits of the decoder's image query (when it has one).
    /// <c>mask_features</c> is channel 0 normalised on the 0–255 scale, so white (≈ 2.25) gives ≈ 9 and black
    /// (≈ −2.12) ≈ −8.5.
    /// </summary>
    /// <value>4.</value>
    public const float ImageMaskGain = 4f;

    /// <summary>The value of the one non-zero component of a token embedding.</summary>
    /// <value>0.01.</value>
    public const float TokenEmbedScale = 0.01f;

    /// <summary>The seed of the image encoder's projection (see <see cref="SyntheticWeights"/>).</summary>
    /// <value>3.</value>
    public const int ImageSeed = 3;

    /// <summary>The image encoder's graph name.</summary>
    public const string ImageEncoderGraph = "image_encoder";

    /// <summary>The text encoder's graph name.</summary>
    public const string TextEncoderGraph = "text_encoder";

    /// <summary>The decoder's graph name.</summary>
    public const string DecoderGraph = "decoder";

    /// <summary>The image encoder's input: float <c>[B, 3, S, S]</c> (B fixed to 1 or symbolic), NCHW, already normalised.</summary>
    public const string PixelValues = "pixel_values";

    /// <summary>The image encoder's first output and the decoder's first input: float <c>[1, D]</c>.</summary>
    public const string ImageFeatures = "image_features";

    /// <summary>The image encoder's second output and the decoder's second input: float <c>[1, 1, M, M]</c>.</summary>
    public const string MaskFeatures = "mask_features";

    /// <summary>The text encoder's token ids input: int64 <c>[N, 77]</c>.</summary>
    public const string InputIds = "input_ids";

    /// <summary>The text encoder's end-of-text position input: int64 <c>[N]</c>, in [0, 77).</summary>
    public const string EosIndex = "eos_index";

    /// <summary>The text encoder's per-token output: float <c>[N, 77, D]</c>.</summary>
    public const string TokenEmbeds = "token_embeds";

    /// <summary>The text encoder's per-prompt output: float <c>[N, D]</c>.</summary>
    public const string ClassEmbeds = "class_embeds";

    /// <summary>The decoder's text input: float <c>[T, 1, D]</c>, the valid token embeddings of all prompts.</summary>
    public const string GroundingTokens = "grounding_tokens";

    /// <summary>The decoder's mask logits output: float <c>[1, Q, M, M]</c>.</summary>
    public const string PredMasks = "pred_masks";

    /// <summary>The decoder's caption embeddings output: float <c>[1, Q, D]</c>.</summary>
    public const string PredCaptions = "pred_captions";

    /// <summary>The decoder's class logits output: float <c>[1, Q, 17]</c>.</summary>
    public const string PredLogits = "pred_logits";

    /// <summary>The image encoder's inputs and outputs.</summary>
    /// <param name="imageSize">The square input size S; a multiple of <paramref name="maskSize"/>.</param>
    /// <param name="dim">The embedding dimension D.</param>
    /// <param name="maskSize">The mask feature size M.</param>
    /// <param name="floatType"><see cref="OnnxElementType.Float"/>, or <see cref="OnnxElementType.Float16"/> for float16 pixels and features.</param>
    /// <param name="batchDim">The symbolic batch dimension (e.g. <see cref="BatchDim"/>); fixed to 1 when null.</param>
    public static OnnxModelSignature ImageEncoderSignature(
        int imageSize = DefaultImageSize,
        int dim = DefaultEmbeddingDim,
        int maskSize = DefaultMaskSize,
        OnnxElementType floatType = OnnxElementType.Float,
        string? batchDim = null) =>
        SyntheticParseImageEncoder.Signature(imageSize, dim, maskSize, floatType, batchDim);

    /// <summary>The text encoder's inputs and outputs.</summary>
    /// <param name="dim">The embedding dimension D.</param>
    /// <param name="floatType"><see cref="OnnxElementType.Float"/>, or <see cref="OnnxElementType.Float16"/> for float16 embeddings.</param>
    public static OnnxModelSignature TextEncoderSignature(int dim = DefaultEmbeddingDim, OnnxElementType floatType = OnnxElementType.Float) =>
        SyntheticParseTextEncoder.Signature(dim, floatType);

    /// <summary>The decoder's inputs and outputs.</summary>
    /// <param name="dim">The embedding dimension D.</param>
    /// <param name="queryCount">The number of queries Q; at most D.</param>
    /// <param name="maskSize">The mask size M.</param>
    /// <param name="floatType"><see cref="OnnxElementType.Float"/>, or <see cref="OnnxElementType.Float16"/> for float16 inputs and outputs.</param>
    public static OnnxModelSignature DecoderSignature(
        int dim = DefaultEmbeddingDim,
        int queryCount = DefaultQueryCount,
        int maskSize = DefaultMaskSize,
        OnnxElementType floatType = OnnxElementType.Float) =>
        SyntheticParseDecoder.Signature(dim, queryCount, maskSize, floatType);

    /// <summary>
    /// Builds the image encoder: <c>image_features</c> = ReduceMean of each channel, MatMul by
    /// <c>W[3, D]</c> (seed <see cref="ImageSeed"/>), Add bias; <c>mask_features</c> = channel 0
    /// AveragePooled with kernel and stride S/M.
    /// </summary>
    /// <param name="imageSize">The square input size S; a multiple of <paramref name="maskSize"/>.</param>
    /// <param name="dim">The embedding dimension D.</param>
    /// <param name="maskSize">The mask feature size M.</param>
    /// <param name="floatType"><see cref="OnnxElementType.Float"/>, or <see cref="OnnxElementType.Float16"/>: float16 in, Cast to float32, the same body, Cast back.</param>
    /// <param name="batchDim">The symbolic batch dimension (e.g. <see cref="BatchDim"/>); fixed to 1 when null.</param>
    /// <returns>The serialized ONNX model.</returns>
    public static byte[] ImageEncoderBytes(
        int imageSize = DefaultImageSize,
        int dim = DefaultEmbeddingDim,
        int maskSize = DefaultMaskSize,
        OnnxElementType floatType = OnnxElementType.Float,
        string? batchDim = null) =>
        SyntheticParseImageEncoder.Build(imageSize, dim, maskSize, floatType, batchDim);

    /// <summary>
    /// Builds the text encoder: <c>class_embeds[n]</c> = row <c>ids[n, 1] mod Q</c> of the identity
    /// <c>[Q, D]</c>; <c>token_embeds[n, t]</c> = <see cref="TokenEmbedScale"/>·<c>e_(ids[n, t] mod D)</c>
    /// for <c>t ≤ eos_index[n]</c>, zero after.
    /// </summary>
    /// <param name="dim">The embedding dimension D.</param>
    /// <param name="queryCount">The decoder's number of queries Q; at most D.</param>
    /// <param name="floatType"><see cref="OnnxElementType.Float"/>, or <see cref="OnnxElementType.Float16"/>: the same body, its outputs Cast to float16.</param>
    /// <returns>The serialized ONNX model.</returns>
    public static byte[] TextEncoderBytes(int dim = DefaultEmbeddingDim, int queryCount = DefaultQueryCount, OnnxElementType floatType = OnnxElementType.Float) =>
        SyntheticParseTextEncoder.Build(dim, queryCount, floatType);

    /// <summary>
    /// Builds the decoder: the fixed masks, captions and class logits described on
    /// <see cref="SyntheticMedImageParse"/>, each plus <c>0·(Σ image_features + Σ mask_features + Σ grounding_tokens)</c>
    /// so that every input is consumed.
    /// </summary>
    /// <param name="dim">The embedding dimension D.</param>
    /// <param name="queryCount">The number of queries Q; at most D.</param>
    /// <param name="maskSize">The mask size M.</param>
    /// <param name="imageQuery">
    /// A query whose mask logits are <see cref="ImageMaskGain"/> · <c>mask_features</c> instead of its
    /// rectangle, so tests can draw a mask into the image; none when null.
    /// </param>
    /// <param name="floatType"><see cref="OnnxElementType.Float"/>, or <see cref="OnnxElementType.Float16"/>: float16 in, Cast to float32, the same body, Cast back.</param>
    /// <returns>The serialized ONNX model.</returns>
    public static byte[] DecoderBytes(
        int dim = DefaultEmbeddingDim,
        int queryCount = DefaultQueryCount,
        int maskSize = DefaultMaskSize,
        int? imageQuery = null,
        OnnxElementType floatType = OnnxElementType.Float) =>
        SyntheticParseDecoder.Build(dim, queryCount, maskSize, imageQuery, floatType);

    /// <summary>
    /// The query whose caption matches a prompt best: <c>firstContentToken mod queryCount</c> (non-negative),
    /// also the index of the prompt's class embedding's one non-zero component.
    /// </summary>
    /// <param name="firstContentToken">The token id at position 1 (after start-of-text).</param>
    /// <param name="queryCount">The number of queries Q.</param>
    public static int ExpectedQueryForPrompt(long firstContentToken, int queryCount = DefaultQueryCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queryCount, 1);
        long k = firstContentToken % queryCount;
        return (int)(k < 0 ? k + queryCount : k);
    }

    /// <summary>
    /// The rectangle where query <paramref name="query"/>'s mask logits are positive, in mask pixels, with
    /// exclusive upper bounds. The queries sit on a <c>G×G</c> grid of cells, <c>G = ⌈√Q⌉</c>, cell side
    /// <c>c = ⌊M / G⌋</c>, margin <c>m = max(1, ⌊c / 6⌋)</c>, width <c>w = c − 2m</c>, height
    /// <c>h = ⌈w / 2⌉</c>; query <c>q</c> is in row <c>⌊q / G⌋</c> and column <c>q mod G</c>:
    /// <code>
    /// x0 = (q mod G)·c + m,  x1 = x0 + w
    /// y0 = ⌊q / G⌋·c + m,    y1 = y0 + h
    /// </code>
    /// Rectangles never overlap, keep at least <c>m</c> pixels from their cell's edges, and are wider than
    /// tall, so a transposed mask matches none of them.
    /// </summary>
    /// <param name="query">The query, in [0, Q).</param>
    /// <param name="maskSize">The mask size M.</param>
    /// <param name="queryCount">The number of queries Q.</param>
    /// <returns>The inclusive start and exclusive end of the rectangle along x and y.</returns>
    public static (int X0, int Y0, int X1, int Y1) MaskRectangle(int query, int maskSize = DefaultMaskSize, int queryCount = DefaultQueryCount) =>
        SyntheticParseDecoder.Rectangle(query, maskSize, queryCount);

    /// <summary>The category index (into the 16 names) whose class logit is highest for a query: <c>query mod 16</c>.</summary>
    /// <param name="query">The query, zero or more.</param>
    public static int ExpectedCategoryIndex(int query)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(query);
        return query % CategoryCount;
    }

    /// <summary>The <c>image_features</c> row the image encoder returns for one image.</summary>
    /// <param name="pixelValuesNchw">The image's <c>3·S·S</c> values, channel-major.</param>
    /// <param name="imageSize">The model's square input size S.</param>
    /// <param name="dim">The model's embedding dimension D.</param>
    public static float[] ExpectedImageFeatures(ReadOnlySpan<float> pixelValuesNchw, int imageSize = DefaultImageSize, int dim = DefaultEmbeddingDim) =>
        SyntheticParseImageEncoder.ExpectedImageFeatures(pixelValuesNchw, imageSize, dim);

    /// <summary>The <c>M·M</c> <c>mask_features</c> values the image encoder returns for one image.</summary>
    /// <param name="pixelValuesNchw">The image's <c>3·S·S</c> values, channel-major.</param>
    /// <param name="imageSize">The model's square input size S.</param>
    /// <param name="maskSize">The model's mask feature size M.</param>
    public static float[] ExpectedMaskFeatures(ReadOnlySpan<float> pixelValuesNchw, int imageSize = DefaultImageSize, int maskSize = DefaultMaskSize) =>
        SyntheticParseImageEncoder.ExpectedMaskFeatures(pixelValuesNchw, imageSize, maskSize);
}
