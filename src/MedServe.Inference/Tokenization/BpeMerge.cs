namespace MedServe.Inference.Tokenization;

/// <summary>One BPE merge rule: two adjacent symbols (byte-unicode text) that merge into one.</summary>
/// <param name="Left">The left symbol.</param>
/// <param name="Right">The right symbol (may end in <c>&lt;/w&gt;</c>).</param>
public readonly record struct BpeMerge(string Left, string Right);
