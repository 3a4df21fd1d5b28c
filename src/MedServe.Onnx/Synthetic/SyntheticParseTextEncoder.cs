namespace MedServe.Onnx.Synthetic;

/// <summary>
/// The synthetic MedImageParse text encoder.
/// <code>
/// input_ids [N,77] ─Gather(1, axis 1)→ [N] ─Mod Q→ ─Gather rows of I[Q,D]→ class_embeds [N,D]
/// input_ids ─Mod D→ [N,77] ─Gather rows of 0.01·I[D,D]→ [N,77,D] ┐
/// positions [77] ≤ eos_index [N,1] → [N,77] ─Cast→ ─Unsqueeze(2)→ ┴─Mul→ token_embeds [N,77,D]
/// </code>
/// The float16 variant gives float16 outputs (the same body, Cast at the end).
/// </summary>
internal static class SyntheticParseTextEncoder
{
    public static OnnxModelSignature Signature(int dim, OnnxElementType floatType = OnnxElementType.Float)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        SyntheticPrecision.Validate(floatType);
        const string prompts = SyntheticMedImageParse.PromptDim;
        const int context = SyntheticMedImageParse.ContextLength;
        return new OnnxModelSignature(
            [
                new(SyntheticMedImageParse.InputIds, OnnxElementType.Int64, [prompts, context]),
                new(SyntheticMedImageParse.EosIndex, OnnxElementType.Int64, [prompts]),
            ],
            [
                new(SyntheticMedImageParse.TokenEmbeds, floatType, [prompts, context, dim]),
                new(SyntheticMedImageParse.ClassEmbeds, floatType, [prompts, dim]),
            ]);
    }

    public static byte[] Build(int dim, int queryCount, OnnxElementType floatType = OnnxElementType.Float)
    {
        OnnxModelSignature signature = Signature(dim, floatType);
        Validate(dim, queryCount);
        const int context = SyntheticMedImageParse.ContextLength;

        var g = new OnnxGraphBuilder(SyntheticMedImageParse.TextEncoderGraph);
        OnnxValue ids = g.AddInput(signature.Inputs[0]);
        OnnxValue eos = g.AddInput(signature.Inputs[1]);
        OnnxValue queryBasis = g.AddInitializer("query_basis", Identity(queryCount, dim, 1f), [queryCount, dim]);
        OnnxValue tokenBasis = g.AddInitializer("token_basis", Identity(dim, dim, SyntheticMedImageParse.TokenEmbedScale), [dim, dim]);
        OnnxValue queries = g.AddInitializer("query_count", [(long)queryCount], []);
        OnnxValue dims = g.AddInitializer("embedding_dim", [(long)dim], []);
        OnnxValue firstContent = g.AddInitializer("first_content_position", [1L], []);
        OnnxValue axisOne = g.AddInitializer("axis_one", [1L], [1]);
        OnnxValue axisTwo = g.AddInitializer("axis_two", [2L], [1]);
        var positionValues = new long[context];
        for (int t = 0; t < context; t++)
        {
            positionValues[t] = t;
        }

        OnnxValue positions = g.AddInitializer("positions", positionValues, [context]);

        OnnxValue firstToken = g.AddNode("Gather", [ids, firstContent], OnnxAttribute.Int("axis", 1));
        OnnxValue query = g.AddNode("Mod", [firstToken, queries], OnnxAttribute.Int("fmod", 0));
        OnnxValue classEmbeds = g.AddNode("Gather", [queryBasis, query], OnnxAttribute.Int("axis", 0));

        OnnxValue tokenIndex = g.AddNode("Mod", [ids, dims], OnnxAttribute.Int("fmod", 0));
        OnnxValue tokenVectors = g.AddNode("Gather", [tokenBasis, tokenIndex], OnnxAttribute.Int("axis", 0));
        OnnxValue valid = g.AddNode("LessOrEqual", [positions, g.AddNode("Unsqueeze", [eos, axisOne])]);
        OnnxValue validFloat = g.AddNode("Cast", [valid], OnnxAttribute.Int("to", (long)OnnxElementType.Float));
        OnnxValue tokenEmbeds = g.AddNode("Mul", [tokenVectors, g.AddNode("Unsqueeze", [validFloat, axisTwo])]);

        OnnxTensorInfo first = signature.Outputs[0];
        OnnxTensorInfo second = signature.Outputs[1];
        tokenEmbeds = SyntheticPrecision.FromFloat(g, tokenEmbeds, floatType);
        classEmbeds = SyntheticPrecision.FromFloat(g, classEmbeds, floatType);
        g.AddOutput(tokenEmbeds, first.Name, first.ElementType, [.. first.Shape]);
        g.AddOutput(classEmbeds, second.Name, second.ElementType, [.. second.Shape]);
        g.SetMetadata(SyntheticMedImageParse.SyntheticMetadataKey, "true");
        g.SetMetadata(SyntheticMedImageParse.RecipeMetadataKey, floatType == OnnxElementType.Float16 ? "medimageparse/text_encoder/v1-fp16" : "medimageparse/text_encoder/v1");
        return g.ToModelBytes();
    }

    public static void Validate(int dim, int queryCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(queryCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(queryCount, dim);
    }

    /// <summary>A row-major <c>[rows, cols]</c> matrix with <paramref name="scale"/> on the diagonal and 0 elsewhere.</summary>
    public static float[] Identity(int rows, int cols, float scale)
    {
        var values = new float[rows * cols];
        for (int i = 0; i < Math.Min(rows, cols); i++)
        {
            values[(i * cols) + i] = scale;
        }

        return values;
    }
}
