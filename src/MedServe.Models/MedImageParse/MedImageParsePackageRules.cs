using MedServe.Inference.Packages;
using MedServe.Inference.Runtime;

namespace MedServe.Models.MedImageParse;

/// <summary>
/// What a MedImageParse package must hold beyond the generic checks, so that every request can run:
/// the three graphs with shapes that fit each other and the settings, the tokenizer and the logit scale.
/// Q (queries), D (embedding width) and the mask size are read from the graphs, so tiny test packages
/// can be small. Float tensors may be float32 or float16 (fp16 packages); the encoders' batch dimensions
/// are symbolic or fixed to 1.
/// </summary>
internal static class MedImageParsePackageRules
{
    public static List<string> Check(PackageManifest manifest)
    {
        const string File = PackageManifest.FileName;
        var problems = new List<string>();
        if (manifest.Preprocessing is null)
        {
            problems.Add($"{File}: preprocessing is missing");
        }

        if (manifest.Tokenizer is null)
        {
            problems.Add($"{File}: tokenizer is missing");
        }

        if (!manifest.Constants.ContainsKey(MedImageParseModel.LogitScale))
        {
            problems.Add($"{File}: constants.{MedImageParseModel.LogitScale} is missing");
        }

        string[] roles = [MedImageParseModel.ImageEncoder, MedImageParseModel.TextEncoder, MedImageParseModel.Decoder];
        foreach (string role in roles.Where(r => !manifest.Graphs.ContainsKey(r)))
        {
            problems.Add($"{File}: graph '{role}' is missing");
        }

        if (problems.Count == 0)
        {
            CheckGraphs(manifest, problems);
        }

        return problems;
    }

    private static void CheckGraphs(PackageManifest manifest, List<string> problems)
    {
        const string File = PackageManifest.FileName;
        var image = manifest.Graphs[MedImageParseModel.ImageEncoder];
        int size = manifest.Preprocessing!.ImageSize;
        if (image.Inputs.Count != 1 || !IsFloat(image.Inputs[0], null, 3, size, size))
        {
            problems.Add($"{File}: graph '{MedImageParseModel.ImageEncoder}' must take one float32 or float16 [batch,3,{size},{size}] input (batch 1 or symbolic) (preprocessing.image_size is {size})");
        }
        else
        {
            EncoderBatch.Check(manifest, MedImageParseModel.ImageEncoder, "image", problems);
        }

        var text = manifest.Graphs[MedImageParseModel.TextEncoder];
        int length = manifest.Tokenizer!.ContextLength;
        var classEmbeds = text.Outputs.FirstOrDefault(o => o.Name == MedImageParseModel.ClassEmbeds);
        long? dim = classEmbeds is { Shape.Count: 2 } ? classEmbeds.Shape[1].Size : null;
        var tokenEmbeds = text.Outputs.FirstOrDefault(o => o.Name == MedImageParseModel.TokenEmbeds);
        if (text.Inputs.Count != 2
            || text.Inputs[0].Name != MedImageParseModel.InputIds || text.Inputs[1].Name != MedImageParseModel.EosIndex
            || !Is(text.Inputs[0], "int64", null, length) || !Is(text.Inputs[1], "int64", (long?)null)
            || dim is null || !IsFloat(classEmbeds!, null, dim)
            || tokenEmbeds is null || !IsFloat(tokenEmbeds, null, length, dim))
        {
            problems.Add($"{File}: graph '{MedImageParseModel.TextEncoder}' must take int64 input_ids [N,{length}] and eos_index [N] and give float32 or float16 token_embeds [N,{length},D] and class_embeds [N,D] with D fixed (tokenizer.context_length is {length})");
            return;
        }

        EncoderBatch.Check(manifest, MedImageParseModel.TextEncoder, "prompt", problems);
        var decoder = manifest.Graphs[MedImageParseModel.Decoder];
        if (decoder.MaxBatchSize is > 1)
        {
            problems.Add($"{File}: graph '{MedImageParseModel.Decoder}' runs one row (all its prompts) at a time; its max_batch_size must be 1, not {decoder.MaxBatchSize}");
        }

        var grounding = decoder.Inputs.FirstOrDefault(i => i.Name == MedImageParseModel.GroundingTokens);
        if (grounding is null || !IsFloat(grounding, null, 1, dim))
        {
            problems.Add($"{File}: graph '{MedImageParseModel.Decoder}' must take float32 or float16 grounding_tokens [T,1,{dim}]");
        }

        // The decoder takes one image's features; the encoder gives them for its batch (fixed or symbolic, as its input).
        long? imageBatch = image.Inputs.Count > 0 && image.Inputs[0].Shape.Count > 0 ? image.Inputs[0].Shape[0].Size : null;
        foreach (var input in decoder.Inputs.Where(i => i.Name != MedImageParseModel.GroundingTokens))
        {
            var feature = image.Outputs.FirstOrDefault(o => o.Name == input.Name);
            if (feature is null || feature.ElementType != input.ElementType || feature.Shape.Count != input.Shape.Count
                || input.Shape.Count == 0 || input.Shape[0].Size != 1 || feature.Shape[0].Size != imageBatch
                || !feature.Shape.Skip(1).SequenceEqual(input.Shape.Skip(1)))
            {
                problems.Add($"{File}: graph '{MedImageParseModel.Decoder}' input '{input.Name}' must be an output of '{MedImageParseModel.ImageEncoder}' with the same element type and shape (batch 1 in the decoder)");
            }
        }

        var masks = decoder.Outputs.FirstOrDefault(o => o.Name == MedImageParseModel.PredMasks);
        long? queries = masks is { Shape.Count: 4 } ? masks.Shape[1].Size : null;
        var captions = decoder.Outputs.FirstOrDefault(o => o.Name == MedImageParseModel.PredCaptions);
        var logits = decoder.Outputs.FirstOrDefault(o => o.Name == MedImageParseModel.PredLogits);
        if (masks is null || queries is null || !IsFloat(masks, 1, queries, masks.Shape[2].Size ?? -1, masks.Shape[3].Size ?? -1)
            || captions is null || !IsFloat(captions, 1, queries, dim)
            || logits is null || !IsFloat(logits, 1, queries, MedImageParseCategories.LogitCount))
        {
            problems.Add($"{File}: graph '{MedImageParseModel.Decoder}' must give float32 or float16 pred_masks [1,Q,M,M], pred_captions [1,Q,{dim}] and pred_logits [1,Q,{MedImageParseCategories.LogitCount}] with Q and M fixed");
        }
    }

    /// <summary><see cref="Is"/> with a float32 or float16 element type.</summary>
    private static bool IsFloat(TensorSignature tensor, params long?[] shape) =>
        OrtFloatTensors.IsFloat(tensor.ElementType) && Is(tensor, tensor.ElementType, shape);

    /// <summary>True when the tensor has the type and, dimension by dimension, the fixed sizes given (null: any, symbolic allowed).</summary>
    private static bool Is(TensorSignature tensor, string elementType, params long?[] shape)
    {
        if (tensor.ElementType != elementType || tensor.Shape.Count != shape.Length)
        {
            return false;
        }

        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] is { } size && tensor.Shape[i].Size != size)
            {
                return false;
            }
        }

        return true;
    }
}
