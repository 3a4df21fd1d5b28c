using MedServe.Inference.Packages;
using MedServe.Inference.Runtime;
using MedServe.Inference.Tokenization;

namespace MedServe.Models.CxrReportGen;

/// <summary>
/// The checks a CXRReportGen package must pass beyond the generic ones (checksums, graph signatures):
/// the pieces it needs exist, the graphs' shapes agree with the manifest's sizes, and the tokenizer
/// holds every token the prompt and the grammar use. Each problem names the key and the mismatch.
/// </summary>
internal static class CxrPackageChecks
{
    /// <summary>The element type a float tensor may have: float32 or float16 (<see cref="OrtFloatTensors"/>).</summary>
    private const string Float = "float";

    public static List<string> CheckManifest(ModelPackage package)
    {
        var manifest = package.Manifest;
        var problems = new List<string>();
        if (manifest.Preprocessing is null)
        {
            problems.Add("medserve.json: preprocessing is missing");
        }

        if (manifest.Tokenizer is not { Kind: CxrReportGenModel.SentencePieceKind, Model: not null })
        {
            problems.Add($"medserve.json: tokenizer must be kind '{CxrReportGenModel.SentencePieceKind}' with a model file (tokenizer.model)");
        }

        if (manifest.Generation is not { } generation)
        {
            problems.Add("medserve.json: generation is missing");
            return problems;
        }

        foreach (string role in new[] { CxrGraphNames.Vision, CxrGraphNames.Embed, CxrGraphNames.Decoder })
        {
            if (!package.HasGraph(role))
            {
                problems.Add($"medserve.json: graph '{role}' is missing");
            }
        }

        if (generation.Layers < 1 || generation.KeyValueHeads < 1 || generation.HeadDim < 1 || generation.HiddenSize < 1
            || generation.VocabularySize < 1 || generation.ImageTokens < 1)
        {
            problems.Add("medserve.json: generation.num_layers, num_key_value_heads, head_dim, hidden_size, vocab_size and image_tokens must be at least 1");
            return problems;
        }

        if (generation.MaxNewTokens < 1 || generation.MaxNewTokensPlain < 1)
        {
            problems.Add("medserve.json: generation.max_new_tokens and max_new_tokens_plain must be at least 1");
        }

        if (generation.EosTokenIds.Count == 0 || generation.EosTokenIds.Any(id => id < 0 || id >= generation.VocabularySize))
        {
            problems.Add($"medserve.json: generation.eos_token_ids must list at least one id below vocab_size ({generation.VocabularySize})");
        }

        if (!generation.ChatTemplate.Contains("{prompt}", StringComparison.Ordinal))
        {
            problems.Add("medserve.json: generation.chat_template must contain {prompt}");
        }

        if (problems.Count == 0 && manifest.Preprocessing is not null)
        {
            CheckShapes(manifest, generation, problems);
        }

        return problems;
    }

    private static void CheckShapes(PackageManifest manifest, GenerationSettings g, List<string> problems)
    {
        int size = manifest.Preprocessing!.ImageSize;
        int before = problems.Count;
        Expect(manifest, CxrGraphNames.Vision, true, CxrGraphNames.PixelValues, Float, [null, 3, size, size], $"preprocessing.image_size is {size}", problems);
        Expect(manifest, CxrGraphNames.Vision, false, CxrGraphNames.ImageEmbeds, Float, [null, g.ImageTokens, g.HiddenSize], "generation.image_tokens and hidden_size", problems);
        Expect(manifest, CxrGraphNames.Embed, true, CxrGraphNames.InputIds, "int64", [null, null], "token ids", problems);
        Expect(manifest, CxrGraphNames.Embed, false, CxrGraphNames.InputsEmbeds, Float, [null, null, g.HiddenSize], "generation.hidden_size", problems);
        Expect(manifest, CxrGraphNames.Decoder, true, CxrGraphNames.InputsEmbeds, Float, [null, null, g.HiddenSize], "generation.hidden_size", problems);
        Expect(manifest, CxrGraphNames.Decoder, true, CxrGraphNames.AttentionMask, "int64", [null, null], "past + new tokens", problems);
        Expect(manifest, CxrGraphNames.Decoder, true, CxrGraphNames.PositionIds, "int64", [null, null], "new tokens", problems);
        Expect(manifest, CxrGraphNames.Decoder, false, CxrGraphNames.Logits, Float, [null, null, g.VocabularySize], "generation.vocab_size", problems);
        string cache = "generation.num_key_value_heads and head_dim";
        for (int layer = 0; layer < g.Layers; layer++)
        {
            Expect(manifest, CxrGraphNames.Decoder, true, CxrGraphNames.PastKey(layer), Float, [null, g.KeyValueHeads, null, g.HeadDim], cache, problems);
            Expect(manifest, CxrGraphNames.Decoder, true, CxrGraphNames.PastValue(layer), Float, [null, g.KeyValueHeads, null, g.HeadDim], cache, problems);
            Expect(manifest, CxrGraphNames.Decoder, false, CxrGraphNames.PresentKey(layer), Float, [null, g.KeyValueHeads, null, g.HeadDim], cache, problems);
            Expect(manifest, CxrGraphNames.Decoder, false, CxrGraphNames.PresentValue(layer), Float, [null, g.KeyValueHeads, null, g.HeadDim], cache, problems);
        }

        int expectedInputs = 3 + (2 * g.Layers);
        int actualInputs = manifest.Graphs[CxrGraphNames.Decoder].Inputs.Count;
        if (actualInputs != expectedInputs)
        {
            problems.Add($"medserve.json: graph '{CxrGraphNames.Decoder}' has {actualInputs} inputs; generation.num_layers {g.Layers} needs {expectedInputs} (inputs_embeds, attention_mask, position_ids and a past key and value per layer)");
        }

        if (problems.Count == before)
        {
            CheckLanguageModelType(manifest, g, problems);
            EncoderBatch.Check(manifest, CxrGraphNames.Vision, "image", problems);
        }
    }

    /// <summary>
    /// The generator keeps the embeddings, logits and key/value cache in the graphs' own element type, so
    /// no token pays a conversion of the whole cache: the embed output and every float tensor of the
    /// decoder must share one type (the vision graph may differ; its embeddings are converted once per image).
    /// </summary>
    private static void CheckLanguageModelType(PackageManifest manifest, GenerationSettings g, List<string> problems)
    {
        string Type(string role, bool input, string name) =>
            (input ? manifest.Graphs[role].Inputs : manifest.Graphs[role].Outputs).First(t => t.Name == name).ElementType;

        string first = Type(CxrGraphNames.Embed, false, CxrGraphNames.InputsEmbeds);
        var others = new List<(bool Input, string Name)> { (true, CxrGraphNames.InputsEmbeds), (false, CxrGraphNames.Logits) };
        for (int layer = 0; layer < g.Layers; layer++)
        {
            others.Add((true, CxrGraphNames.PastKey(layer)));
            others.Add((true, CxrGraphNames.PastValue(layer)));
            others.Add((false, CxrGraphNames.PresentKey(layer)));
            others.Add((false, CxrGraphNames.PresentValue(layer)));
        }

        foreach (var (input, name) in others)
        {
            string type = Type(CxrGraphNames.Decoder, input, name);
            if (type != first)
            {
                problems.Add($"medserve.json: graph '{CxrGraphNames.Decoder}' {(input ? "input" : "output")} '{name}' is {type} but graph '{CxrGraphNames.Embed}' output '{CxrGraphNames.InputsEmbeds}' is {first}; the embeddings, logits and key/value cache must share one element type");
                return;
            }
        }
    }

    /// <summary>
    /// A tensor of a graph must exist with one of the element types (<see cref="Float"/>: float32 or float16)
    /// and, where given, the fixed sizes (null: any).
    /// </summary>
    private static void Expect(PackageManifest manifest, string role, bool input, string name, string elementType, long?[] shape, string why, List<string> problems)
    {
        var graph = manifest.Graphs[role];
        var tensor = (input ? graph.Inputs : graph.Outputs).FirstOrDefault(t => t.Name == name);
        string kind = input ? "input" : "output";
        string wanted = (elementType == Float ? "float32 or float16 " : elementType)
            + "[" + string.Join(",", shape.Select(d => d?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "*")) + "]";
        if (tensor is null)
        {
            problems.Add($"medserve.json: graph '{role}' needs {kind} '{name}' {wanted}");
            return;
        }

        bool typeMatches = elementType == Float ? OrtFloatTensors.IsFloat(tensor.ElementType) : tensor.ElementType == elementType;
        bool matches = typeMatches && tensor.Shape.Count == shape.Length
            && shape.Select((d, i) => d is null || tensor.Shape[i].Size == d).All(ok => ok);
        if (!matches)
        {
            problems.Add($"medserve.json: graph '{role}' {kind} '{name}' is {tensor}; it must be {wanted} ({why})");
        }
    }

    /// <summary>The tokenizer must hold the image placeholder and every grounding token, and fit the logits.</summary>
    public static GroundingVocabulary? CheckTokenizer(PackageManifest manifest, SentencePieceTextTokenizer tokenizer, List<string> problems)
    {
        var generation = manifest.Generation!;
        if (!tokenizer.AddedTokens.ContainsKey(generation.ImageToken))
        {
            problems.Add($"medserve.json: generation.image_token '{generation.ImageToken}' is not an added token of the tokenizer");
        }

        if (tokenizer.VocabularySize > generation.VocabularySize)
        {
            problems.Add($"medserve.json: the tokenizer has {tokenizer.VocabularySize} ids but generation.vocab_size is {generation.VocabularySize}");
        }

        return GroundingVocabulary.Resolve(generation.Grounding, tokenizer, problems);
    }
}
