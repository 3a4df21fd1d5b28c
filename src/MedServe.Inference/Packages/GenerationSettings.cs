using System.Text.Json.Serialization;

namespace MedServe.Inference.Packages;

/// <summary>
/// The settings of a generative package (CXRReportGen): the language model's sizes, the chat template,
/// the prompt wording, the image placeholder, the grounding tokens and the decoding limits.
/// </summary>
public sealed record GenerationSettings
{
    /// <summary>
    /// The chat template: the text around the user prompt, with <c>{prompt}</c> where it goes (for
    /// Phi-3 <c>"&lt;|user|&gt;\n{prompt}&lt;|end|&gt;\n&lt;|assistant|&gt;\n"</c>).
    /// </summary>
    [JsonPropertyName("chat_template")]
    public string ChatTemplate { get; set; } = "";

    /// <summary>The image placeholder token; each one in the prompt becomes <see cref="ImageTokens"/> image embeddings.</summary>
    [JsonPropertyName("image_token")]
    public string ImageToken { get; set; } = "";

    /// <summary>The embeddings the vision graph gives per image (P of <c>image_embeds[n,P,H]</c>).</summary>
    [JsonPropertyName("image_tokens")]
    public int ImageTokens { get; set; }

    /// <summary>The prompt wording.</summary>
    [JsonPropertyName("prompt")]
    public PromptSettings Prompt { get; set; } = new();

    /// <summary>The grounding tokens of the output grammar.</summary>
    [JsonPropertyName("grounding")]
    public GroundingSettings Grounding { get; set; } = new();

    /// <summary>Generation stops at the first of these ids (Phi-3: 32000 <c>&lt;|endoftext|&gt;</c>, 32007 <c>&lt;|end|&gt;</c>).</summary>
    [JsonPropertyName("eos_token_ids")]
    public IReadOnlyList<int> EosTokenIds { get; set; } = [];

    /// <summary>The most tokens generated for a grounded report. <value>The default is 450.</value></summary>
    [JsonPropertyName("max_new_tokens")]
    public int MaxNewTokens { get; set; } = 450;

    /// <summary>The most tokens generated for a plain (ungrounded) report. <value>The default is 300.</value></summary>
    [JsonPropertyName("max_new_tokens_plain")]
    public int MaxNewTokensPlain { get; set; } = 300;

    /// <summary>The decoder layers (each has <c>past_key_values.{i}.key/value</c>).</summary>
    [JsonPropertyName("num_layers")]
    public int Layers { get; set; }

    /// <summary>The key/value heads of each layer's cache.</summary>
    [JsonPropertyName("num_key_value_heads")]
    public int KeyValueHeads { get; set; }

    /// <summary>The width of one head.</summary>
    [JsonPropertyName("head_dim")]
    public int HeadDim { get; set; }

    /// <summary>The language model width H (of <c>inputs_embeds</c> and <c>image_embeds</c>).</summary>
    [JsonPropertyName("hidden_size")]
    public int HiddenSize { get; set; }

    /// <summary>The width of <c>logits</c> (may exceed the tokenizer's ids, as Phi-3's 32,064 does).</summary>
    [JsonPropertyName("vocab_size")]
    public int VocabularySize { get; set; }
}
