using System.Numerics.Tensors;

namespace MedServe.Models.MedImageParse;

/// <summary>
/// Picks each prompt's query as BiomedParse does: cosine between the prompt's class embedding and every
/// query's caption embedding (both normalised with <c>‖v‖ + 1e-7</c>), times <c>min(exp(logit_scale), 100)</c>;
/// the query with the highest score wins (the first one on a tie, like <c>torch.max</c>). The category is the
/// argmax of that query's class logits over the 16 names, background excluded.
/// </summary>
internal static class QueryMatcher
{
    private const float NormEpsilon = 1e-7f;

    /// <summary>The temperature the reference multiplies cosines by.</summary>
    public static float Scale(double logitScale) => (float)Math.Min(Math.Exp(logitScale), 100.0);

    /// <summary>The best query for one class embedding.</summary>
    /// <param name="classEmbedding">The prompt's class embedding, D values.</param>
    /// <param name="captions">The decoder's caption embeddings, Q·D values.</param>
    /// <param name="scale">The temperature (<see cref="Scale"/>).</param>
    public static int BestQuery(ReadOnlySpan<float> classEmbedding, ReadOnlySpan<float> captions, float scale)
    {
        int dim = classEmbedding.Length;
        int queries = captions.Length / dim;
        float textNorm = TensorPrimitives.Norm(classEmbedding) + NormEpsilon;
        int best = 0;
        float bestScore = float.NegativeInfinity;
        for (int q = 0; q < queries; q++)
        {
            var caption = captions.Slice(q * dim, dim);
            float score = scale * (TensorPrimitives.Dot(caption, classEmbedding) / ((TensorPrimitives.Norm(caption) + NormEpsilon) * textNorm));
            if (score > bestScore)
            {
                bestScore = score;
                best = q;
            }
        }

        return best;
    }

    /// <summary>The category index (0–15) of a query: the argmax of its first 16 class logits.</summary>
    /// <param name="classLogits">The query's 17 class logits.</param>
    public static int Category(ReadOnlySpan<float> classLogits)
    {
        var names = classLogits[..MedImageParseCategories.Names.Count];
        int best = 0;
        for (int i = 1; i < names.Length; i++)
        {
            if (names[i] > names[best])
            {
                best = i;
            }
        }

        return best;
    }
}
