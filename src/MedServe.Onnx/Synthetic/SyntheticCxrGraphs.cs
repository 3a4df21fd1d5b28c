namespace MedServe.Onnx.Synthetic;

/// <summary>
/// Builds the synthetic CXRReportGen graphs described on <see cref="SyntheticCxrReportGen"/>:
/// <code>
/// vision:  pixel_values ─ReduceMean(C)→ ─Reshape[n,g,p,g,p]→ ─ReduceMean(2,4)→ ─Reshape[n,P,1]→ ─MatMul w[1,H] + b→ image_embeds
/// embed:   input_ids ─Gather(table[V,H])→ inputs_embeds
/// decoder: x = inputs_embeds + sin(position·f)·m
///          per layer: q,k,v = x·W ─heads→ present = Concat(past, k|v) ─softmax(q·kᵀ/√d + causal + mask)·v→ x += o·Wo
///          logits = x·Wout·s + table[bright·len + clip(position − marker − lead)]
/// </code>
/// A float16 spec casts every float input to float32 first and every float output back to float16 last
/// (<see cref="SyntheticPrecision"/>), so the bodies are the float32 ones.
/// </summary>
internal static class SyntheticCxrGraphs
{
    private const int VisionSeed = 11;
    private const int EmbedSeed = 12;
    private const int OutputSeed = 13;
    private const int LayerSeed = 20;

    public static byte[] Vision(SyntheticCxrSpec spec, OnnxModelSignature signature)
    {
        int grid = spec.ImageSize / spec.PatchSize;
        var weight = new float[spec.HiddenSize];
        var bias = new float[spec.HiddenSize];
        weight[0] = 1f;
        for (int j = 2; j < spec.HiddenSize; j++)
        {
            weight[j] = SyntheticWeights.Weight(VisionSeed, 0, j) * 20f;
            bias[j] = SyntheticWeights.Bias(VisionSeed, j);
        }

        var g = new OnnxGraphBuilder(SyntheticCxrReportGen.VisionGraph);
        OnnxValue pixels = SyntheticPrecision.ToFloat(g, g.AddInput(signature.Inputs[0]), spec.FloatType);
        OnnxValue gray = g.AddNode("ReduceMean", [pixels], OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 1));
        OnnxValue patches = g.AddNode("Reshape", [gray, g.AddInitializer("patch_shape", [0L, grid, spec.PatchSize, grid, spec.PatchSize], [5])]);
        OnnxValue means = g.AddNode("ReduceMean", [patches], OnnxAttribute.Ints("axes", 2, 4), OnnxAttribute.Int("keepdims", 0));
        OnnxValue column = g.AddNode("Reshape", [means, g.AddInitializer("token_shape", [0L, spec.ImageTokens, 1], [3])]);
        OnnxValue projected = g.AddNode("MatMul", [column, g.AddInitializer("vision_w", weight, [1, spec.HiddenSize])]);
        OnnxValue embeds = g.AddNode("Add", [projected, g.AddInitializer("vision_b", bias, [spec.HiddenSize])]);
        g.AddOutput(SyntheticPrecision.FromFloat(g, embeds, spec.FloatType), signature.Outputs[0].Name, spec.FloatType, [.. signature.Outputs[0].Shape]);
        Label(g, "vision", spec);
        return g.ToModelBytes();
    }

    public static byte[] Embed(SyntheticCxrSpec spec, OnnxModelSignature signature)
    {
        var g = new OnnxGraphBuilder(SyntheticCxrReportGen.EmbedGraph);
        OnnxValue ids = g.AddInput(signature.Inputs[0]);
        OnnxValue table = g.AddInitializer("embed_tokens", EmbeddingTable(spec), [spec.VocabularySize, spec.HiddenSize]);
        OnnxValue embeds = g.AddNode("Gather", [table, ids], OnnxAttribute.Int("axis", 0));
        g.AddOutput(SyntheticPrecision.FromFloat(g, embeds, spec.FloatType), signature.Outputs[0].Name, spec.FloatType, [.. signature.Outputs[0].Shape]);
        Label(g, "embed", spec);
        return g.ToModelBytes();
    }

    /// <summary>Channel 0 is 0 (images alone carry it), channel 1 flags the marker, the rest are fixed weights.</summary>
    internal static float[] EmbeddingTable(SyntheticCxrSpec spec)
    {
        int h = spec.HiddenSize;
        var table = new float[spec.VocabularySize * h];
        for (int id = 0; id < spec.VocabularySize; id++)
        {
            table[(id * h) + 1] = id == spec.MarkerTokenId ? 1f : 0f;
            for (int j = 2; j < h; j++)
            {
                table[(id * h) + j] = SyntheticWeights.Weight(EmbedSeed, id, j) * 20f;
            }
        }

        return table;
    }

    public static byte[] Decoder(SyntheticCxrSpec spec, OnnxModelSignature signature)
    {
        int h = spec.HiddenSize;
        int hd = spec.HeadDim;
        var g = new OnnxGraphBuilder(SyntheticCxrReportGen.DecoderGraph);
        OnnxValue embeds = SyntheticPrecision.ToFloat(g, g.AddInput(signature.Inputs[0]), spec.FloatType);
        OnnxValue mask = g.AddInput(signature.Inputs[1]);
        OnnxValue positions = g.AddInput(signature.Inputs[2]);
        var past = new OnnxValue[2 * spec.Layers];
        for (int i = 0; i < past.Length; i++)
        {
            past[i] = SyntheticPrecision.ToFloat(g, g.AddInput(signature.Inputs[3 + i]), spec.FloatType);
        }

        OnnxValue lastAxis = g.AddInitializer("axis_last", [-1L], [1]);
        OnnxValue axisOne = g.AddInitializer("axis_one", [1L], [1]);
        OnnxValue headShape = g.AddInitializer("head_shape", [0L, 0, spec.Heads, hd], [4]);
        OnnxValue hiddenShape = g.AddInitializer("hidden_shape", [0L, 0, h], [3]);

        // Position term: sin(position · f_j), zero on the two flag channels.
        OnnxValue positionF = g.AddNode("Cast", [positions], OnnxAttribute.Int("to", (long)OnnxElementType.Float));
        OnnxValue positionColumn = g.AddNode("Unsqueeze", [positionF, lastAxis]);
        var frequencies = new float[h];
        var positionMask = new float[h];
        for (int j = 2; j < h; j++)
        {
            frequencies[j] = (float)Math.Pow(10000.0, -(double)(j - 2) / h);
            positionMask[j] = 1f;
        }

        OnnxValue angles = g.AddNode("Mul", [positionColumn, g.AddInitializer("position_freq", frequencies, [h])]);
        OnnxValue positionTerm = g.AddNode("Mul", [g.AddNode("Sin", [angles]), g.AddInitializer("position_mask", positionMask, [h])]);
        OnnxValue x = g.AddNode("Add", [embeds, positionTerm]);

        // Attention bias: a key is visible when its index ≤ the query's position and its mask is 1.
        // The total length comes from attention_mask [batch, past + L].
        OnnxValue total = g.AddNode("Gather", [g.AddNode("Shape", [mask]), g.AddInitializer("index_one", [1L], [])], OnnxAttribute.Int("axis", 0));
        OnnxValue range = g.AddNode("Range", [g.AddInitializer("zero_i", [0L], []), total, g.AddInitializer("one_i", [1L], [])]);
        OnnxValue keyIndex = g.AddNode("Cast", [range], OnnxAttribute.Int("to", (long)OnnxElementType.Float));
        OnnxValue visible = g.AddNode("LessOrEqual", [keyIndex, positionColumn]);
        OnnxValue causal = g.AddNode("Where", [visible, g.AddInitializer("zero_f", [0f], []), g.AddInitializer("minus_inf", [-1e9f], [])]);
        OnnxValue maskF = g.AddNode("Cast", [mask], OnnxAttribute.Int("to", (long)OnnxElementType.Float));
        OnnxValue maskBias = g.AddNode("Mul", [g.AddNode("Sub", [maskF, g.AddInitializer("one_f", [1f], [])]), g.AddInitializer("big", [1e9f], [])]);
        OnnxValue bias = g.AddNode("Unsqueeze", [g.AddNode("Add", [causal, g.AddNode("Unsqueeze", [maskBias, axisOne])]), axisOne]);

        var presents = new OnnxValue[2 * spec.Layers];
        float scale = 1f / MathF.Sqrt(hd);
        for (int layer = 0; layer < spec.Layers; layer++)
        {
            int seed = LayerSeed + (4 * layer);
            OnnxValue q = Heads(g, x, Weight(g, $"wq{layer}", seed, h, h, 4f), headShape);
            OnnxValue k = Heads(g, x, Weight(g, $"wk{layer}", seed + 1, h, h, 4f), headShape);
            float[] valueWeights = SyntheticWeights.WeightMatrix(seed + 2, h, h);
            for (int i = 0; i < valueWeights.Length; i++)
            {
                valueWeights[i] *= 4f;
            }

            if (layer == 0)
            {
                // Head 0, channels 0 and 1 of layer 0's values copy the input's flag channels, so the
                // cache carries the image brightness and the marker to every later step.
                for (int row = 0; row < h; row++)
                {
                    valueWeights[(row * h) + 0] = row == 0 ? 1f : 0f;
                    valueWeights[(row * h) + 1] = row == 1 ? 1f : 0f;
                }
            }

            OnnxValue v = Heads(g, x, g.AddInitializer($"wv{layer}", valueWeights, [h, h]), headShape);
            OnnxValue presentKey = g.AddNode("Concat", [past[2 * layer], k], OnnxAttribute.Int("axis", 2));
            OnnxValue presentValue = g.AddNode("Concat", [past[(2 * layer) + 1], v], OnnxAttribute.Int("axis", 2));
            presents[2 * layer] = presentKey;
            presents[(2 * layer) + 1] = presentValue;

            OnnxValue keysT = g.AddNode("Transpose", [presentKey], OnnxAttribute.Ints("perm", 0, 1, 3, 2));
            OnnxValue scores = g.AddNode("Mul", [g.AddNode("MatMul", [q, keysT]), g.AddInitializer($"scale{layer}", [scale], [])]);
            OnnxValue weights = g.AddNode("Softmax", [g.AddNode("Add", [scores, bias])], OnnxAttribute.Int("axis", -1));
            OnnxValue attended = g.AddNode("MatMul", [weights, presentValue]);
            OnnxValue merged = g.AddNode("Reshape", [g.AddNode("Transpose", [attended], OnnxAttribute.Ints("perm", 0, 2, 1, 3)), hiddenShape]);
            x = g.AddNode("Add", [x, g.AddNode("MatMul", [merged, Weight(g, $"wo{layer}", seed + 3, h, h, 4f)])]);
        }

        OnnxValue modelLogits = g.AddNode("MatMul", [x, Weight(g, "w_out", OutputSeed, h, spec.VocabularySize, 20f * spec.ModelLogitScale)]);
        OnnxValue logits = spec.Scripts.Count == 0
            ? modelLogits
            : g.AddNode("Add", [modelLogits, ScriptTerm(g, spec, presents[1], keyIndex, positionF)]);

        g.AddOutput(SyntheticPrecision.FromFloat(g, logits, spec.FloatType), signature.Outputs[0].Name, spec.FloatType, [.. signature.Outputs[0].Shape]);
        for (int i = 0; i < presents.Length; i++)
        {
            var output = signature.Outputs[1 + i];
            g.AddOutput(SyntheticPrecision.FromFloat(g, presents[i], spec.FloatType), output.Name, output.ElementType, [.. output.Shape]);
        }

        Label(g, "decoder", spec);
        return g.ToModelBytes();
    }

    /// <summary>
    /// <c>table[bright·len + clip(position − marker − lead, 0, len − 1)]</c>, with marker and brightness
    /// read from <c>present.0.value</c> head 0 channels 1 and 0.
    /// </summary>
    private static OnnxValue ScriptTerm(OnnxGraphBuilder g, SyntheticCxrSpec spec, OnnxValue presentValue0, OnnxValue keyIndex, OnnxValue positionF)
    {
        int length = spec.Scripts.Max(s => s.Count);
        var table = new float[2 * length * spec.VocabularySize];
        for (int script = 0; script < 2; script++)
        {
            var tokens = spec.Scripts[script];
            for (int r = 0; r < length; r++)
            {
                int token = tokens[Math.Min(r, tokens.Count - 1)];
                table[(((script * length) + r) * spec.VocabularySize) + token] = spec.ScriptLogit;
            }
        }

        OnnxValue head0 = g.AddNode("Gather", [presentValue0, g.AddInitializer("index_zero", [0L], [])], OnnxAttribute.Int("axis", 1));
        OnnxValue brightness = g.AddNode("Gather", [head0, g.AddInitializer("channel_zero", [0L], [])], OnnxAttribute.Int("axis", 2));
        OnnxValue marker = g.AddNode("Gather", [head0, g.AddInitializer("channel_one", [1L], [])], OnnxAttribute.Int("axis", 2));
        OnnxValue brightSum = g.AddNode("ReduceSum", [brightness, g.AddInitializer("axes_one", [1L], [1])], OnnxAttribute.Int("keepdims", 1));
        OnnxValue markerPosition = g.AddNode("ReduceMax", [g.AddNode("Mul", [marker, keyIndex])], OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 1));
        OnnxValue step = g.AddNode("Sub", [g.AddNode("Sub", [positionF, markerPosition]), g.AddInitializer("lead", [(float)spec.Lead], [])]);
        OnnxValue clipped = g.AddNode("Clip", [step, g.AddInitializer("step_min", [0f], []), g.AddInitializer("step_max", [(float)(length - 1)], [])]);
        OnnxValue stepIndex = g.AddNode("Cast", [clipped], OnnxAttribute.Int("to", (long)OnnxElementType.Int64));
        OnnxValue bright = g.AddNode("Cast", [g.AddNode("Greater", [brightSum, g.AddInitializer("zero_bright", [0f], [])])], OnnxAttribute.Int("to", (long)OnnxElementType.Int64));
        OnnxValue row = g.AddNode("Add", [stepIndex, g.AddNode("Mul", [bright, g.AddInitializer("script_length", [(long)length], [])])]);
        return g.AddNode("Gather", [g.AddInitializer("script_table", table, [2 * length, spec.VocabularySize]), row], OnnxAttribute.Int("axis", 0));
    }

    private static OnnxValue Heads(OnnxGraphBuilder g, OnnxValue x, OnnxValue weight, OnnxValue headShape) =>
        g.AddNode("Transpose", [g.AddNode("Reshape", [g.AddNode("MatMul", [x, weight]), headShape])], OnnxAttribute.Ints("perm", 0, 2, 1, 3));

    private static OnnxValue Weight(OnnxGraphBuilder g, string name, int seed, int rows, int cols, float scale)
    {
        float[] matrix = SyntheticWeights.WeightMatrix(seed, rows, cols);
        for (int i = 0; i < matrix.Length; i++)
        {
            matrix[i] *= scale;
        }

        return g.AddInitializer(name, matrix, [rows, cols]);
    }

    private static void Label(OnnxGraphBuilder g, string graph, SyntheticCxrSpec spec)
    {
        g.SetMetadata(SyntheticMedImageInsight.SyntheticMetadataKey, "true");
        g.SetMetadata(SyntheticMedImageInsight.RecipeMetadataKey, spec.FloatType == OnnxElementType.Float16 ? $"cxrreportgen/{graph}/v1-fp16" : $"cxrreportgen/{graph}/v1");
    }
}
