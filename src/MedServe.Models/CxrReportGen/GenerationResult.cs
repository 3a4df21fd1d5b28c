namespace MedServe.Models.CxrReportGen;

/// <summary>What greedy decoding produced.</summary>
/// <param name="Tokens">The generated ids, without the EOS that stopped it.</param>
/// <param name="StoppedAtEos">True when an EOS id ended generation, false when the token limit did.</param>
internal sealed record GenerationResult(IReadOnlyList<int> Tokens, bool StoppedAtEos);
