namespace MedServe.Onnx.Synthetic;

/// <summary>
/// Tiny stand-ins for the three CXRReportGen graphs with the real names and layouts (the ONNX Runtime
/// GenAI / Optimum decoder layout), built so a serving pipeline's output is predictable:
/// <list type="bullet">
/// <item><c>vision</c>: <c>pixel_values[n,3,S,S] → image_embeds[n,P,H]</c>; channel 0 of patch p is the mean
/// of the normalised pixels of that patch (all channels), channel 1 is 0, the rest a fixed projection.</item>
/// <item><c>embed</c>: <c>input_ids[1,L] → inputs_embeds[1,L,H]</c>; a table whose channel 0 is 0 for every
/// token and channel 1 is 1 for the marker token only.</item>
/// <item><c>decoder</c>: <c>inputs_embeds</c>, <c>attention_mask</c>, <c>position_ids</c>,
/// <c>past_key_values.{i}.key/value[1,heads,past,hd]</c> → <c>logits[1,L,V]</c>,
/// <c>present.{i}.key/value[1,heads,past+L,hd]</c>: real causal multi-head attention per layer with a
/// sinusoidal position term, plus a script read from the cache: layer 0's value head 0 carries
/// channels 0 and 1 of the input, so the decoder finds the marker's position (step = position − marker
/// − lead) and the images' brightness (sum of channel 0) in <c>present.0.value</c>, and adds
/// <see cref="SyntheticCxrSpec.ScriptLogit"/> to <c>Scripts[bright][step]</c>.</item>
/// </list>
/// A pipeline that drops the cache, misplaces the image embeddings or miscounts positions emits other
/// tokens. With <see cref="SyntheticCxrSpec.FloatType"/> float16, every float tensor of the three graphs is
/// float16, Cast around the same float32 bodies. Every model carries <c>medserve.synthetic=true</c>.
/// </summary>
public static class SyntheticCxrReportGen
{
    /// <summary>The vision graph role and name.</summary>
    public const string VisionGraph = "vision";

    /// <summary>The token-embedding graph role and name.</summary>
    public const string EmbedGraph = "embed";

    /// <summary>The language-model graph role and name.</summary>
    public const string DecoderGraph = "decoder";

    /// <summary>The vision input.</summary>
    public const string PixelValues = "pixel_values";

    /// <summary>The vision output.</summary>
    public const string ImageEmbeds = "image_embeds";

    /// <summary>The embed input.</summary>
    public const string InputIds = "input_ids";

    /// <summary>The embed output and the decoder's first input.</summary>
    public const string InputsEmbeds = "inputs_embeds";

    /// <summary>The decoder's attention mask input, <c>[batch, past + L]</c>.</summary>
    public const string AttentionMask = "attention_mask";

    /// <summary>The decoder's position input, <c>[batch, L]</c>.</summary>
    public const string PositionIds = "position_ids";

    /// <summary>The decoder's logits output.</summary>
    public const string Logits = "logits";

    /// <summary>The symbolic batch dimension.</summary>
    public const string BatchDim = "batch_size";

    /// <summary>The symbolic new-token dimension.</summary>
    public const string SequenceDim = "sequence_length";

    /// <summary>The symbolic cached-token dimension.</summary>
    public const string PastDim = "past_sequence_length";

    /// <summary>The symbolic total-length dimension (past + new).</summary>
    public const string TotalDim = "total_sequence_length";

    /// <summary>The symbolic image-count dimension of the vision graph.</summary>
    public const string ImageCountDim = "num_images";

    /// <summary>The name of layer <paramref name="layer"/>'s past key input.</summary>
    public static string PastKey(int layer) => $"past_key_values.{layer}.key";

    /// <summary>The name of layer <paramref name="layer"/>'s past value input.</summary>
    public static string PastValue(int layer) => $"past_key_values.{layer}.value";

    /// <summary>The name of layer <paramref name="layer"/>'s present key output.</summary>
    public static string PresentKey(int layer) => $"present.{layer}.key";

    /// <summary>The name of layer <paramref name="layer"/>'s present value output.</summary>
    public static string PresentValue(int layer) => $"present.{layer}.value";

    /// <summary>The vision graph's signature.</summary>
    public static OnnxModelSignature VisionSignature(SyntheticCxrSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new(
            [new(PixelValues, spec.FloatType, [ImageCountDim, 3, spec.ImageSize, spec.ImageSize])],
            [new(ImageEmbeds, spec.FloatType, [ImageCountDim, spec.ImageTokens, spec.HiddenSize])]);
    }

    /// <summary>The embed graph's signature.</summary>
    public static OnnxModelSignature EmbedSignature(SyntheticCxrSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new(
            [new(InputIds, OnnxElementType.Int64, [BatchDim, SequenceDim])],
            [new(InputsEmbeds, spec.FloatType, [BatchDim, SequenceDim, spec.HiddenSize])]);
    }

    /// <summary>The decoder graph's signature.</summary>
    public static OnnxModelSignature DecoderSignature(SyntheticCxrSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var inputs = new List<OnnxTensorInfo>
        {
            new(InputsEmbeds, spec.FloatType, [BatchDim, SequenceDim, spec.HiddenSize]),
            new(AttentionMask, OnnxElementType.Int64, [BatchDim, TotalDim]),
            new(PositionIds, OnnxElementType.Int64, [BatchDim, SequenceDim]),
        };
        var outputs = new List<OnnxTensorInfo> { new(Logits, spec.FloatType, [BatchDim, SequenceDim, spec.VocabularySize]) };
        for (int layer = 0; layer < spec.Layers; layer++)
        {
            inputs.Add(new(PastKey(layer), spec.FloatType, [BatchDim, spec.Heads, PastDim, spec.HeadDim]));
            inputs.Add(new(PastValue(layer), spec.FloatType, [BatchDim, spec.Heads, PastDim, spec.HeadDim]));
            outputs.Add(new(PresentKey(layer), spec.FloatType, [BatchDim, spec.Heads, TotalDim, spec.HeadDim]));
            outputs.Add(new(PresentValue(layer), spec.FloatType, [BatchDim, spec.Heads, TotalDim, spec.HeadDim]));
        }

        return new(inputs, outputs);
    }

    /// <summary>The vision graph's ONNX bytes.</summary>
    public static byte[] VisionBytes(SyntheticCxrSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        return SyntheticCxrGraphs.Vision(spec, VisionSignature(spec));
    }

    /// <summary>The embed graph's ONNX bytes.</summary>
    public static byte[] EmbedBytes(SyntheticCxrSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        return SyntheticCxrGraphs.Embed(spec, EmbedSignature(spec));
    }

    /// <summary>The decoder graph's ONNX bytes.</summary>
    public static byte[] DecoderBytes(SyntheticCxrSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        return SyntheticCxrGraphs.Decoder(spec, DecoderSignature(spec));
    }
}
