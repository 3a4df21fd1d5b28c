namespace MedServe.Onnx.Synthetic;

/// <summary>
/// The synthetic MedImageParse decoder: fixed outputs plus a zero term that consumes every input.
/// <code>
/// z = 0 · (ReduceSum image_features + ReduceSum mask_features + ReduceSum grounding_tokens)   (scalar)
/// rows[Q,M,1] · cols[Q,1,M] · 16 − 8 ─Unsqueeze(0)→ ─Add z→ pred_masks [1,Q,M,M]
/// I[Q,D] ─Unsqueeze(0)→ ─Add z→ pred_captions [1,Q,D]
/// L[Q,17] ─Unsqueeze(0)→ ─Add z→ pred_logits [1,Q,17]
/// </code>
/// <c>rows[q, y]</c> is 1 when <c>y0 ≤ y &lt; y1</c> of <see cref="Rectangle"/>, <c>cols[q, x]</c> likewise
/// for x; <c>L[q, q mod 16]</c> = 5 and 0 elsewhere. With an image query <c>q*</c>, that query's rectangle
/// is replaced by the image: <c>pred_masks[0, q*] = gain · mask_features[0, 0]</c>
/// (<see cref="SyntheticMedImageParse.ImageMaskGain"/>), so its mask follows the bright parts of channel 0.
/// The float16 variant takes and gives float16 and casts around the same float32 body.
/// </summary>
internal static class SyntheticParseDecoder
{
    public static OnnxModelSignature Signature(int dim, int queryCount, int maskSize, OnnxElementType floatType = OnnxElementType.Float)
    {
        Validate(dim, queryCount, maskSize);
        SyntheticPrecision.Validate(floatType);
        return new OnnxModelSignature(
            [
                new(SyntheticMedImageParse.ImageFeatures, floatType, [1, dim]),
                new(SyntheticMedImageParse.MaskFeatures, floatType, [1, 1, maskSize, maskSize]),
                new(SyntheticMedImageParse.GroundingTokens, floatType, [SyntheticMedImageParse.TokenDim, 1, dim]),
            ],
            [
                new(SyntheticMedImageParse.PredMasks, floatType, [1, queryCount, maskSize, maskSize]),
                new(SyntheticMedImageParse.PredCaptions, floatType, [1, queryCount, dim]),
                new(SyntheticMedImageParse.PredLogits, floatType, [1, queryCount, SyntheticMedImageParse.ClassCount]),
            ]);
    }

    public static byte[] Build(int dim, int queryCount, int maskSize, int? imageQuery = null, OnnxElementType floatType = OnnxElementType.Float)
    {
        OnnxModelSignature signature = Signature(dim, queryCount, maskSize, floatType);
        if (imageQuery is { } q0)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(q0, nameof(imageQuery));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(q0, queryCount, nameof(imageQuery));
        }

        const float inside = SyntheticMedImageParse.MaskInsideLogit;
        const float outside = SyntheticMedImageParse.MaskOutsideLogit;

        var rows = new float[queryCount * maskSize];
        var cols = new float[queryCount * maskSize];
        var logits = new float[queryCount * SyntheticMedImageParse.ClassCount];
        var keep = new float[queryCount];
        var gains = new float[queryCount];
        for (int q = 0; q < queryCount; q++)
        {
            keep[q] = q == imageQuery ? 0f : 1f;
            gains[q] = q == imageQuery ? SyntheticMedImageParse.ImageMaskGain : 0f;
            (int x0, int y0, int x1, int y1) = Rectangle(q, maskSize, queryCount);
            rows.AsSpan((q * maskSize) + y0, y1 - y0).Fill(1f);
            cols.AsSpan((q * maskSize) + x0, x1 - x0).Fill(1f);
            logits[(q * SyntheticMedImageParse.ClassCount) + SyntheticMedImageParse.ExpectedCategoryIndex(q)] = SyntheticMedImageParse.CategoryLogit;
        }

        var g = new OnnxGraphBuilder(SyntheticMedImageParse.DecoderGraph);
        OnnxValue imageFeatures = SyntheticPrecision.ToFloat(g, g.AddInput(signature.Inputs[0]), floatType);
        OnnxValue maskFeatures = SyntheticPrecision.ToFloat(g, g.AddInput(signature.Inputs[1]), floatType);
        OnnxValue grounding = SyntheticPrecision.ToFloat(g, g.AddInput(signature.Inputs[2]), floatType);
        OnnxValue rowMask = g.AddInitializer("mask_rows", rows, [queryCount, maskSize, 1]);
        OnnxValue colMask = g.AddInitializer("mask_cols", cols, [queryCount, 1, maskSize]);
        OnnxValue span = g.AddInitializer("mask_span", [inside - outside], []);
        OnnxValue offset = g.AddInitializer("mask_offset", [outside], []);
        OnnxValue captions = g.AddInitializer("captions", SyntheticParseTextEncoder.Identity(queryCount, dim, 1f), [queryCount, dim]);
        OnnxValue classLogits = g.AddInitializer("class_logits", logits, [queryCount, SyntheticMedImageParse.ClassCount]);
        OnnxValue zero = g.AddInitializer("input_weight", [0f], []);
        OnnxValue axisZero = g.AddInitializer("axis_zero", [0L], [1]);

        OnnxValue inputSum = g.AddNode(
            "Add",
            [
                g.AddNode("Add", [SumAll(g, imageFeatures), SumAll(g, maskFeatures)]),
                SumAll(g, grounding),
            ]);
        OnnxValue z = g.AddNode("Mul", [inputSum, zero]);

        OnnxValue indicator = g.AddNode("Mul", [rowMask, colMask]);
        OnnxValue masks = g.AddNode("Add", [g.AddNode("Mul", [indicator, span]), offset]);
        if (imageQuery is not null)
        {
            // [Q,M,M]·keep[Q,1,1] + mask_features[1,1,M,M] squeezed to [1,M,M]·gain[Q,1,1] → [Q,M,M]
            OnnxValue keepValue = g.AddInitializer("fixed_keep", keep, [queryCount, 1, 1]);
            OnnxValue gainValue = g.AddInitializer("image_gain", gains, [queryCount, 1, 1]);
            OnnxValue image = g.AddNode("Squeeze", [maskFeatures, axisZero]);
            masks = g.AddNode("Add", [g.AddNode("Mul", [masks, keepValue]), g.AddNode("Mul", [image, gainValue])]);
        }

        OnnxValue predMasks = g.AddNode("Add", [g.AddNode("Unsqueeze", [masks, axisZero]), z]);
        OnnxValue predCaptions = g.AddNode("Add", [g.AddNode("Unsqueeze", [captions, axisZero]), z]);
        OnnxValue predLogits = g.AddNode("Add", [g.AddNode("Unsqueeze", [classLogits, axisZero]), z]);

        OnnxValue[] values = [predMasks, predCaptions, predLogits];
        for (int i = 0; i < values.Length; i++)
        {
            OnnxTensorInfo output = signature.Outputs[i];
            g.AddOutput(SyntheticPrecision.FromFloat(g, values[i], floatType), output.Name, output.ElementType, [.. output.Shape]);
        }

        g.SetMetadata(SyntheticMedImageParse.SyntheticMetadataKey, "true");
        string recipe = imageQuery is null ? "medimageparse/decoder/v1" : "medimageparse/decoder/v1+image-query";
        g.SetMetadata(SyntheticMedImageParse.RecipeMetadataKey, floatType == OnnxElementType.Float16 ? recipe + "-fp16" : recipe);
        return g.ToModelBytes();
    }

    public static (int X0, int Y0, int X1, int Y1) Rectangle(int query, int maskSize, int queryCount)
    {
        ValidateGrid(queryCount, maskSize);
        ArgumentOutOfRangeException.ThrowIfNegative(query);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(query, queryCount);
        int grid = GridSide(queryCount);
        int cell = maskSize / grid;
        int margin = Math.Max(1, cell / 6);
        int width = cell - (2 * margin);
        int height = (width + 1) / 2;
        int x0 = ((query % grid) * cell) + margin;
        int y0 = ((query / grid) * cell) + margin;
        return (x0, y0, x0 + width, y0 + height);
    }

    private static OnnxValue SumAll(OnnxGraphBuilder g, OnnxValue value) =>
        g.AddNode("ReduceSum", [value], OnnxAttribute.Int("keepdims", 0));

    private static int GridSide(int queryCount)
    {
        int side = (int)Math.Ceiling(Math.Sqrt(queryCount));
        while (side * side < queryCount)
        {
            side++;
        }

        while (side > 1 && (side - 1) * (side - 1) >= queryCount)
        {
            side--;
        }

        return side;
    }

    private static void ValidateGrid(int queryCount, int maskSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queryCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maskSize, 1);
        int grid = GridSide(queryCount);
        if (maskSize / grid < 4)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maskSize),
                maskSize,
                $"{queryCount} queries need a {grid}×{grid} grid of cells of at least 4 pixels: a mask size of at least {4 * grid}.");
        }
    }

    private static void Validate(int dim, int queryCount, int maskSize)
    {
        SyntheticParseTextEncoder.Validate(dim, queryCount);
        ValidateGrid(queryCount, maskSize);
    }
}
