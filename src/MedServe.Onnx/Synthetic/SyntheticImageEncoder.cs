namespace MedServe.Onnx.Synthetic;

/// <summary>
/// The synthetic image encoder: a linear function of a 4×4 grid of per-channel block means.
/// <code>
/// pixel_values [B,3,S,S] ─AveragePool(k=S/4, stride=S/4)→ [B,3,4,4] ─Flatten(1)→ [B,48]
///   ─MatMul W[48,D]→ ─Add b[D]→ image_embeds [B,D]
/// </code>
/// The float16 variant declares float16 input and output and casts around the same float32 body, so
/// it differs from the float32 graph only by float16 rounding of the pixels and the embedding.
/// </summary>
internal static class SyntheticImageEncoder
{
    public const int Grid = 4;
    public const int Channels = 3;
    public const int FeatureCount = Channels * Grid * Grid;

    public static OnnxModelSignature Signature(int imageSize, int dim, OnnxElementType floatType = OnnxElementType.Float)
    {
        Validate(imageSize, dim);
        SyntheticPrecision.Validate(floatType);
        return new OnnxModelSignature(
            [new(SyntheticMedImageInsight.PixelValues, floatType,
                [SyntheticMedImageInsight.BatchDim, Channels, imageSize, imageSize])],
            [new(SyntheticMedImageInsight.ImageEmbeds, floatType, [SyntheticMedImageInsight.BatchDim, dim])]);
    }

    public static byte[] Build(int imageSize, int dim, OnnxElementType floatType = OnnxElementType.Float)
    {
        OnnxModelSignature signature = Signature(imageSize, dim, floatType);
        int block = imageSize / Grid;

        var g = new OnnxGraphBuilder(SyntheticMedImageInsight.ImageEncoderGraph);
        OnnxValue pixels = SyntheticPrecision.ToFloat(g, g.AddInput(signature.Inputs[0]), floatType);
        OnnxValue weights = g.AddInitializer("proj_weight", SyntheticWeights.WeightMatrix(SyntheticWeights.ImageSeed, FeatureCount, dim), [FeatureCount, dim]);
        OnnxValue bias = g.AddInitializer("proj_bias", SyntheticWeights.BiasVector(SyntheticWeights.ImageSeed, dim), [dim]);

        OnnxValue pooled = g.AddNode(
            "AveragePool",
            [pixels],
            OnnxAttribute.Ints("kernel_shape", block, block),
            OnnxAttribute.Ints("strides", block, block));
        OnnxValue features = g.AddNode("Flatten", [pooled], OnnxAttribute.Int("axis", 1));
        OnnxValue projected = g.AddNode("MatMul", [features, weights]);
        OnnxValue embeds = SyntheticPrecision.FromFloat(g, g.AddNode("Add", [projected, bias]), floatType);

        OnnxTensorInfo output = signature.Outputs[0];
        g.AddOutput(embeds, output.Name, output.ElementType, [.. output.Shape]);
        g.SetMetadata(SyntheticMedImageInsight.SyntheticMetadataKey, "true");
        g.SetMetadata(SyntheticMedImageInsight.RecipeMetadataKey, floatType == OnnxElementType.Float16 ? "image_encoder/v1-fp16" : "image_encoder/v1");
        return g.ToModelBytes();
    }

    public static float[] Expected(ReadOnlySpan<float> pixels, int imageSize, int dim)
    {
        Validate(imageSize, dim);
        int plane = imageSize * imageSize;
        if (pixels.Length != Channels * plane)
        {
            throw new ArgumentException(
                $"Expected {Channels}×{imageSize}×{imageSize} = {Channels * plane} values for one NCHW image, got {pixels.Length}.",
                nameof(pixels));
        }

        int block = imageSize / Grid;
        Span<float> features = stackalloc float[FeatureCount];
        for (int c = 0; c < Channels; c++)
        {
            for (int gy = 0; gy < Grid; gy++)
            {
                for (int gx = 0; gx < Grid; gx++)
                {
                    double sum = 0;
                    for (int y = gy * block; y < (gy + 1) * block; y++)
                    {
                        ReadOnlySpan<float> row = pixels.Slice((c * plane) + (y * imageSize) + (gx * block), block);
                        foreach (float v in row)
                        {
                            sum += v;
                        }
                    }

                    // Flatten keeps NCHW order: channel, then grid row, then grid column.
                    features[(c * Grid * Grid) + (gy * Grid) + gx] = (float)(sum / ((double)block * block));
                }
            }
        }

        return SyntheticWeights.Project(SyntheticWeights.ImageSeed, features, dim);
    }

    private static void Validate(int imageSize, int dim)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, Grid);
        if (imageSize % Grid != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, $"The image size must be a multiple of {Grid}.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
    }
}
