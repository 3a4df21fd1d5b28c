namespace MedServe.Onnx.Synthetic;

/// <summary>
/// The synthetic text encoder: a linear function of the scaled token ids, the end-of-text token and
/// its position.
/// <code>
/// input_ids·attention_mask ─Cast→ ─Div vocab→ [B,77] ┐
/// input_ids ─GatherElements(eos_index)→ ─Cast→ ─Div vocab→ [B,1] ├─Concat(1)→ [B,79] ─MatMul W[79,D]→ ─Add b[D]→ text_embeds [B,D]
/// eos_index ─Unsqueeze→ ─Cast→ ─Div 77→ [B,1] ┘
/// </code>
/// The float16 variant casts the float32 embedding to a float16 <c>text_embeds</c> (the ids stay int64).
/// </summary>
internal static class SyntheticTextEncoder
{
    public const int FeatureCount = SyntheticMedImageInsight.ContextLength + 2;

    public static OnnxModelSignature Signature(int dim, OnnxElementType floatType = OnnxElementType.Float)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        SyntheticPrecision.Validate(floatType);
        const string batch = SyntheticMedImageInsight.BatchDim;
        const int context = SyntheticMedImageInsight.ContextLength;
        return new OnnxModelSignature(
            [
                new(SyntheticMedImageInsight.InputIds, OnnxElementType.Int64, [batch, context]),
                new(SyntheticMedImageInsight.AttentionMask, OnnxElementType.Int64, [batch, context]),
                new(SyntheticMedImageInsight.EosIndex, OnnxElementType.Int64, [batch]),
            ],
            [new(SyntheticMedImageInsight.TextEmbeds, floatType, [batch, dim])]);
    }

    public static byte[] Build(int dim, int vocabSize, OnnxElementType floatType = OnnxElementType.Float)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabSize, 1);
        OnnxModelSignature signature = Signature(dim, floatType);
        const long toFloat = (long)OnnxElementType.Float;

        var g = new OnnxGraphBuilder(SyntheticMedImageInsight.TextEncoderGraph);
        OnnxValue ids = g.AddInput(signature.Inputs[0]);
        OnnxValue mask = g.AddInput(signature.Inputs[1]);
        OnnxValue eos = g.AddInput(signature.Inputs[2]);
        OnnxValue vocab = g.AddInitializer("vocab_size", [(float)vocabSize], []);
        OnnxValue context = g.AddInitializer("context_length", [(float)SyntheticMedImageInsight.ContextLength], []);
        OnnxValue axisOne = g.AddInitializer("axis_one", [1L], [1]);
        OnnxValue weights = g.AddInitializer("proj_weight", SyntheticWeights.WeightMatrix(SyntheticWeights.TextSeed, FeatureCount, dim), [FeatureCount, dim]);
        OnnxValue bias = g.AddInitializer("proj_bias", SyntheticWeights.BiasVector(SyntheticWeights.TextSeed, dim), [dim]);

        OnnxValue masked = g.AddNode("Mul", [ids, mask]);
        OnnxValue tokenFeatures = g.AddNode("Div", [g.AddNode("Cast", [masked], OnnxAttribute.Int("to", toFloat)), vocab]);

        OnnxValue eosColumn = g.AddNode("Unsqueeze", [eos, axisOne]);
        OnnxValue eosToken = g.AddNode("GatherElements", [ids, eosColumn], OnnxAttribute.Int("axis", 1));
        OnnxValue eosTokenFeature = g.AddNode("Div", [g.AddNode("Cast", [eosToken], OnnxAttribute.Int("to", toFloat)), vocab]);
        OnnxValue eosPositionFeature = g.AddNode("Div", [g.AddNode("Cast", [eosColumn], OnnxAttribute.Int("to", toFloat)), context]);

        OnnxValue features = g.AddNode("Concat", [tokenFeatures, eosTokenFeature, eosPositionFeature], OnnxAttribute.Int("axis", 1));
        OnnxValue embeds = SyntheticPrecision.FromFloat(g, g.AddNode("Add", [g.AddNode("MatMul", [features, weights]), bias]), floatType);

        OnnxTensorInfo output = signature.Outputs[0];
        g.AddOutput(embeds, output.Name, output.ElementType, [.. output.Shape]);
        g.SetMetadata(SyntheticMedImageInsight.SyntheticMetadataKey, "true");
        g.SetMetadata(SyntheticMedImageInsight.RecipeMetadataKey, floatType == OnnxElementType.Float16 ? "text_encoder/v1-fp16" : "text_encoder/v1");
        return g.ToModelBytes();
    }

    public static float[] Expected(ReadOnlySpan<long> ids, ReadOnlySpan<long> mask, long eosIndex, int dim, int vocabSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabSize, 1);
        const int context = SyntheticMedImageInsight.ContextLength;
        if (ids.Length != context || mask.Length != context)
        {
            throw new ArgumentException($"Expected {context} ids and {context} mask values, got {ids.Length} and {mask.Length}.", nameof(ids));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(eosIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(eosIndex, context);

        // Same float operations as the graph: integer product, cast, then a float division.
        float vocab = vocabSize;
        Span<float> features = stackalloc float[FeatureCount];
        for (int t = 0; t < context; t++)
        {
            features[t] = (float)(ids[t] * mask[t]) / vocab;
        }

        features[context] = (float)ids[(int)eosIndex] / vocab;
        features[context + 1] = (float)eosIndex / context;
        return SyntheticWeights.Project(SyntheticWeights.TextSeed, features, dim);
    }
}
