namespace MedServe.Onnx.Synthetic;

/// <summary>
/// The synthetic MedImageParse image encoder.
/// <code>
/// pixel_values [B,3,S,S] ─ReduceMean(2,3)→ [B,3] ─MatMul W[3,D]→ ─Add b[D]→ image_features [B,D]
/// pixel_values ─Slice(channel 0)→ [B,1,S,S] ─AveragePool(k=S/M, stride=S/M)→ mask_features [B,1,M,M]
/// </code>
/// B is 1 (the reference export) or symbolic. The float16 variant declares float16 input and outputs and
/// casts around the same float32 body.
/// </summary>
internal static class SyntheticParseImageEncoder
{
    public const int Channels = 3;

    public static OnnxModelSignature Signature(int imageSize, int dim, int maskSize,
        OnnxElementType floatType = OnnxElementType.Float, string? batchDim = null)
    {
        Validate(imageSize, dim, maskSize);
        SyntheticPrecision.Validate(floatType);
        OnnxDim batch = batchDim is null ? 1 : batchDim;
        return new OnnxModelSignature(
            [new(SyntheticMedImageParse.PixelValues, floatType, [batch, Channels, imageSize, imageSize])],
            [
                new(SyntheticMedImageParse.ImageFeatures, floatType, [batch, dim]),
                new(SyntheticMedImageParse.MaskFeatures, floatType, [batch, 1, maskSize, maskSize]),
            ]);
    }

    public static byte[] Build(int imageSize, int dim, int maskSize,
        OnnxElementType floatType = OnnxElementType.Float, string? batchDim = null)
    {
        OnnxModelSignature signature = Signature(imageSize, dim, maskSize, floatType, batchDim);
        int block = imageSize / maskSize;
        const int seed = SyntheticMedImageParse.ImageSeed;

        var g = new OnnxGraphBuilder(SyntheticMedImageParse.ImageEncoderGraph);
        OnnxValue pixels = SyntheticPrecision.ToFloat(g, g.AddInput(signature.Inputs[0]), floatType);
        OnnxValue weights = g.AddInitializer("proj_weight", SyntheticWeights.WeightMatrix(seed, Channels, dim), [Channels, dim]);
        OnnxValue bias = g.AddInitializer("proj_bias", SyntheticWeights.BiasVector(seed, dim), [dim]);
        OnnxValue zero = g.AddInitializer("slice_start", [0L], [1]);
        OnnxValue one = g.AddInitializer("slice_end", [1L], [1]);
        OnnxValue channelAxis = g.AddInitializer("slice_axis", [1L], [1]);

        OnnxValue means = g.AddNode(
            "ReduceMean",
            [pixels],
            OnnxAttribute.Ints("axes", 2, 3),
            OnnxAttribute.Int("keepdims", 0));
        OnnxValue imageFeatures = SyntheticPrecision.FromFloat(g, g.AddNode("Add", [g.AddNode("MatMul", [means, weights]), bias]), floatType);

        OnnxValue channelZero = g.AddNode("Slice", [pixels, zero, one, channelAxis]);
        OnnxValue maskFeatures = SyntheticPrecision.FromFloat(g, g.AddNode(
            "AveragePool",
            [channelZero],
            OnnxAttribute.Ints("kernel_shape", block, block),
            OnnxAttribute.Ints("strides", block, block)), floatType);

        OnnxTensorInfo first = signature.Outputs[0];
        OnnxTensorInfo second = signature.Outputs[1];
        g.AddOutput(imageFeatures, first.Name, first.ElementType, [.. first.Shape]);
        g.AddOutput(maskFeatures, second.Name, second.ElementType, [.. second.Shape]);
        g.SetMetadata(SyntheticMedImageParse.SyntheticMetadataKey, "true");
        g.SetMetadata(SyntheticMedImageParse.RecipeMetadataKey, floatType == OnnxElementType.Float16 ? "medimageparse/image_encoder/v1-fp16" : "medimageparse/image_encoder/v1");
        return g.ToModelBytes();
    }

    public static float[] ExpectedImageFeatures(ReadOnlySpan<float> pixels, int imageSize, int dim)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        int plane = CheckLength(pixels, imageSize);
        Span<float> means = stackalloc float[Channels];
        for (int c = 0; c < Channels; c++)
        {
            double sum = 0;
            foreach (float v in pixels.Slice(c * plane, plane))
            {
                sum += v;
            }

            means[c] = (float)(sum / plane);
        }

        return SyntheticWeights.Project(SyntheticMedImageParse.ImageSeed, means, dim);
    }

    public static float[] ExpectedMaskFeatures(ReadOnlySpan<float> pixels, int imageSize, int maskSize)
    {
        Validate(imageSize, 1, maskSize);
        CheckLength(pixels, imageSize);
        int block = imageSize / maskSize;
        var result = new float[maskSize * maskSize];
        for (int my = 0; my < maskSize; my++)
        {
            for (int mx = 0; mx < maskSize; mx++)
            {
                double sum = 0;
                for (int y = my * block; y < (my + 1) * block; y++)
                {
                    foreach (float v in pixels.Slice((y * imageSize) + (mx * block), block))
                    {
                        sum += v;
                    }
                }

                result[(my * maskSize) + mx] = (float)(sum / ((double)block * block));
            }
        }

        return result;
    }

    private static int CheckLength(ReadOnlySpan<float> pixels, int imageSize)
    {
        int plane = imageSize * imageSize;
        if (pixels.Length != Channels * plane)
        {
            throw new ArgumentException(
                $"Expected {Channels}×{imageSize}×{imageSize} = {Channels * plane} values for one NCHW image, got {pixels.Length}.",
                nameof(pixels));
        }

        return plane;
    }

    private static void Validate(int imageSize, int dim, int maskSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maskSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, maskSize);
        if (imageSize % maskSize != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, $"The image size must be a multiple of the mask size {maskSize}.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
    }
}
