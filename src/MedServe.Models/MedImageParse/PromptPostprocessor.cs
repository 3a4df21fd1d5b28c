namespace MedServe.Models.MedImageParse;

/// <summary>
/// One prompt's share of the decoder output, turned into its response mask:
/// <code>
/// class embedding · captions ─► best query ─► its mask logits ─► bilinear to the window ─► sigmoid ─► probability
///                                          └► its class logits ─► category           probability × 255 ─► uint8 mask
/// </code>
/// </summary>
internal static class PromptPostprocessor
{
    /// <summary>Writes the prompt's probability and uint8 mask for <paramref name="window"/>; returns its query and category index.</summary>
    public static (int Query, int Category) Run(
        ReadOnlySpan<float> classEmbedding,
        ReadOnlySpan<float> captions,
        ReadOnlySpan<float> masks,
        ReadOnlySpan<float> classLogits,
        int maskHeight,
        int maskWidth,
        float temperature,
        MaskWindow window,
        Span<float> probability,
        Span<byte> mask)
    {
        int query = QueryMatcher.BestQuery(classEmbedding, captions, temperature);
        int category = QueryMatcher.Category(classLogits.Slice(query * MedImageParseCategories.LogitCount, MedImageParseCategories.LogitCount));
        int length = maskHeight * maskWidth;
        MaskResampler.Resample(masks.Slice(query * length, length), maskHeight, maskWidth,
            window.FullHeight, window.FullWidth, window.Top, window.Left, window.Height, window.Width, probability);
        MaskResampler.ToBytes(probability, mask);
        return (query, category);
    }
}
