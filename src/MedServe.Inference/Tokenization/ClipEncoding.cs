namespace MedServe.Inference.Tokenization;

/// <summary>A text encoded for the CLIP text tower: fixed-length ids and mask plus the pooling index.</summary>
public sealed record ClipEncoding
{
    /// <summary>Token ids of length <c>contextLength</c>: BOS, content, EOS, then padding with the pad id.</summary>
    public required long[] InputIds { get; init; }

    /// <summary>1 on real tokens (including BOS and EOS), 0 on padding; same length as <see cref="InputIds"/>.</summary>
    public required long[] AttentionMask { get; init; }

    /// <summary>Position of the first EOS token, where the text encoder pools.</summary>
    public required int EosIndex { get; init; }

    /// <summary>Whether content tokens were dropped to fit the context length.</summary>
    public required bool Truncated { get; init; }

    /// <summary>Number of tokens including BOS and EOS before truncation.</summary>
    public required int TokenCount { get; init; }
}
