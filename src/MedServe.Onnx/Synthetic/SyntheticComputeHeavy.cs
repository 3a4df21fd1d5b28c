namespace MedServe.Onnx.Synthetic;

/// <summary>
/// MedImageInsight encoders with real compute, so batching and thread settings show on a CPU (the demo
/// encoders' few kFLOP do not). The image encoder keeps the real signature
/// <c>pixel_values[batch, 3, 480, 480] → image_embeds[batch, 1024]</c> behind three convolutions and four
/// MatMuls of <see cref="FlopsPerImage"/> (≈ 98 MFLOP) per image; the text encoder keeps the real text
/// signature behind <see cref="TextMatMuls"/> chained 1024×1024 MatMul + Tanh steps, <see cref="FlopsPerText"/>
/// (≈ 101 MFLOP) per row. Their embeddings are deterministic but have no known closed form: use them to
/// measure, not to check values.
/// </summary>
public static class SyntheticComputeHeavy
{
    /// <summary>The recipe written into the graph's metadata.</summary>
    public const string Recipe = "image_encoder_compute_heavy/v1";

    /// <summary>
    /// Floating-point operations per image, counting a multiply-add as two: the convolutions'
    /// 2·C_out·C_in·k²·H_out·W_out plus the MatMuls' 2·K·N. Bias adds, ReLUs and the pooling (≈ 0.6 MFLOP
    /// together) are not counted.
    /// </summary>
    public const long FlopsPerImage = SyntheticComputeHeavyEncoder.FlopsPerImage;

    /// <summary>The serialized image encoder (480² input, 1024-d output).</summary>
    public static byte[] ImageEncoderBytes() => SyntheticComputeHeavyEncoder.Build().ToModelBytes();

    /// <summary>The image encoder's inputs and outputs: exactly the demo encoder's at 480² and 1024-d.</summary>
    public static OnnxModelSignature ImageEncoderSignature() => SyntheticMedImageInsight.ImageEncoderSignature();

    /// <summary>The recipe written into the text encoder's metadata.</summary>
    public const string TextRecipe = "text_encoder_compute_heavy/v1";

    /// <summary>The chained 1024×1024 MatMul + Tanh steps of the text encoder.</summary>
    public const int TextMatMuls = 48;

    /// <summary>
    /// Floating-point operations per text row (multiply-add = 2): the [77]·[77, 1024] input projection
    /// plus <see cref="TextMatMuls"/> [1024]·[1024, 1024] steps. The Tanh steps are not counted.
    /// </summary>
    public const long FlopsPerText = (2L * Context * Dim) + (TextMatMuls * 2L * Dim * Dim);

    private const int Context = SyntheticMedImageInsight.ContextLength;
    private const int Dim = SyntheticMedImageInsight.DefaultEmbeddingDim;

    /// <summary>
    /// The serialized text encoder: the real signature (<c>input_ids</c>, <c>attention_mask</c>,
    /// <c>eos_index</c> → <c>text_embeds[batch, 1024]</c>); the masked ids, as floats, go through a [77, 1024]
    /// projection and <see cref="TextMatMuls"/> MatMul + Tanh steps that share one 1024×1024 weight (4 MB,
    /// streamed once per run: what batching saves).
    /// </summary>
    public static byte[] TextEncoderBytes() => TextEncoderBuilder().ToModelBytes();

    /// <summary>The text encoder's graph (tests count its FLOP from the shapes).</summary>
    internal static OnnxGraphBuilder TextEncoderBuilder()
    {
        var signature = SyntheticMedImageInsight.TextEncoderSignature();
        var g = new OnnxGraphBuilder(SyntheticMedImageInsight.TextEncoderGraph);
        var ids = g.AddInput(signature.Inputs[0]);
        var mask = g.AddInput(signature.Inputs[1]);
        g.AddInput(signature.Inputs[2]);
        var tokens = g.AddNode("Cast", [g.AddNode("Mul", [ids, mask])], OnnxAttribute.Int("to", (long)OnnxElementType.Float));

        // Small weights keep Tanh out of saturation; the ids are up to ~50 000, hence the extra 1/50 000.
        float[] projection = SyntheticWeights.WeightMatrix(101, Context, Dim);
        for (int i = 0; i < projection.Length; i++)
        {
            projection[i] /= 50_000f;
        }

        float[] step = SyntheticWeights.WeightMatrix(102, Dim, Dim);
        var hidden = g.AddNode("MatMul", [tokens, g.AddInitializer("w_in", projection, [Context, Dim])]);
        var weight = g.AddInitializer("w_step", step, [Dim, Dim]);
        for (int i = 0; i < TextMatMuls; i++)
        {
            hidden = g.AddNode("Tanh", [g.AddNode("MatMul", [hidden, weight])]);
        }

        var output = signature.Outputs[0];
        g.AddOutput(hidden, output.Name, output.ElementType, [.. output.Shape]);
        g.SetMetadata(SyntheticMedImageInsight.SyntheticMetadataKey, "true");
        g.SetMetadata(SyntheticMedImageInsight.RecipeMetadataKey, TextRecipe);
        return g;
    }
}
