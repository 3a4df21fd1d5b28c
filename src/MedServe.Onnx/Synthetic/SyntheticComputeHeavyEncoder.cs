namespace MedServe.Onnx.Synthetic;

/// <summary>
/// The compute-heavy image encoder's graph (see <see cref="SyntheticComputeHeavy"/>):
/// <code>
/// pixel_values [B,3,480,480]
///   ─Conv 16×3×4×4 stride 4 + ReLU→        [B,16,120,120]   22.1 MFLOP
///   ─Conv 32×16×3×3 stride 2 pad 1 + ReLU→ [B,32,60,60]     33.2 MFLOP
///   ─Conv 64×32×3×3 stride 2 pad 1 + ReLU→ [B,64,30,30]     33.2 MFLOP
///   ─AveragePool 6×6 stride 6→ [B,64,5,5] ─Flatten→ [B,1600]
///   ─MatMul 1600×1024 + b + ReLU→ ─(MatMul 1024×1024 + b + ReLU)×2→ ─MatMul 1024×1024 + b→ image_embeds [B,1024]   9.6 MFLOP
/// </code>
/// Weights are <see cref="SyntheticWeights"/> matrices scaled to He initialisation (std √(2 / fan-in)), so the
/// activations neither vanish nor blow up through the stack.
/// </summary>
internal static class SyntheticComputeHeavyEncoder
{
    private const int Size = SyntheticMedImageInsight.DefaultImageSize;
    private const int Dim = SyntheticMedImageInsight.DefaultEmbeddingDim;
    private const int FirstSeed = 11;

    /// <summary>(output channels, kernel, stride, pad) of each convolution, from the 3 input channels.</summary>
    private static readonly (int Out, int Kernel, int Stride, int Pad)[] Convolutions = [(16, 4, 4, 0), (32, 3, 2, 1), (64, 3, 2, 1)];

    private const int Pool = 6;
    private const int HiddenMatMuls = 3;

    // 2·(16·3·16·120² + 32·16·9·60² + 64·32·9·30²) + 2·(1600·1024 + 3·1024·1024)
    public const long FlopsPerImage = (2L * ((16 * 3 * 16 * 120 * 120) + (32 * 16 * 9 * 60 * 60) + (64 * 32 * 9 * 30 * 30)))
        + (2L * ((1600 * 1024) + (HiddenMatMuls * 1024 * 1024)));

    public static OnnxGraphBuilder Build()
    {
        OnnxModelSignature signature = SyntheticMedImageInsight.ImageEncoderSignature(Size, Dim);
        var g = new OnnxGraphBuilder(SyntheticMedImageInsight.ImageEncoderGraph);
        OnnxValue x = g.AddInput(signature.Inputs[0]);
        int seed = FirstSeed;
        int channels = 3;
        int side = Size;
        foreach (var (outChannels, kernel, stride, pad) in Convolutions)
        {
            int fanIn = channels * kernel * kernel;
            OnnxValue weight = g.AddInitializer($"conv{seed}_weight", Scaled(seed, outChannels, fanIn, fanIn), [outChannels, channels, kernel, kernel]);
            OnnxValue bias = g.AddInitializer($"conv{seed}_bias", SyntheticWeights.BiasVector(seed, outChannels), [outChannels]);
            x = g.AddNode(
                "Conv",
                [x, weight, bias],
                OnnxAttribute.Ints("kernel_shape", kernel, kernel),
                OnnxAttribute.Ints("strides", stride, stride),
                OnnxAttribute.Ints("pads", pad, pad, pad, pad));
            x = g.AddNode("Relu", [x]);
            channels = outChannels;
            side = ((side + (2 * pad) - kernel) / stride) + 1;
            seed++;
        }

        x = g.AddNode("AveragePool", [x], OnnxAttribute.Ints("kernel_shape", Pool, Pool), OnnxAttribute.Ints("strides", Pool, Pool));
        x = g.AddNode("Flatten", [x], OnnxAttribute.Int("axis", 1));
        int features = channels * (side / Pool) * (side / Pool);
        for (int layer = 0; layer <= HiddenMatMuls; layer++)
        {
            OnnxValue weight = g.AddInitializer($"fc{seed}_weight", Scaled(seed, features, Dim, features), [features, Dim]);
            OnnxValue bias = g.AddInitializer($"fc{seed}_bias", SyntheticWeights.BiasVector(seed, Dim), [Dim]);
            x = g.AddNode("Add", [g.AddNode("MatMul", [x, weight]), bias]);
            if (layer < HiddenMatMuls)
            {
                x = g.AddNode("Relu", [x]);
            }

            features = Dim;
            seed++;
        }

        OnnxTensorInfo output = signature.Outputs[0];
        g.AddOutput(x, output.Name, output.ElementType, [.. output.Shape]);
        g.SetMetadata(SyntheticMedImageInsight.SyntheticMetadataKey, "true");
        g.SetMetadata(SyntheticMedImageInsight.RecipeMetadataKey, SyntheticComputeHeavy.Recipe);
        return g;
    }

    /// <summary>A <c>[rows, cols]</c> <see cref="SyntheticWeights"/> matrix with standard deviation √(2 / fan-in).</summary>
    private static float[] Scaled(int seed, int rows, int cols, int fanIn)
    {
        float[] w = SyntheticWeights.WeightMatrix(seed, rows, cols);

        // The sine weights have amplitude 0.05, so a standard deviation of 0.05/√2.
        float scale = (float)(Math.Sqrt(2.0 / fanIn) / (0.05 / Math.Sqrt(2)));
        for (int i = 0; i < w.Length; i++)
        {
            w[i] *= scale;
        }

        return w;
    }
}
