using System.Globalization;
using MedServe.Inference.Packages;
using MedServe.Inference.Tokenization;

namespace MedServe.Models.CxrReportGen;

/// <summary>The ids of the grounding tokens: object and box delimiters and the coordinate bins.</summary>
internal sealed class GroundingVocabulary
{
    private readonly Dictionary<int, int> _xBins = [];
    private readonly Dictionary<int, int> _yBins = [];

    private GroundingVocabulary(int objectStart, int objectEnd, int boxStart, int boxEnd, int bins)
    {
        ObjectStart = objectStart;
        ObjectEnd = objectEnd;
        BoxStart = boxStart;
        BoxEnd = boxEnd;
        Bins = bins;
    }

    public int ObjectStart { get; }

    public int ObjectEnd { get; }

    public int BoxStart { get; }

    public int BoxEnd { get; }

    public int Bins { get; }

    /// <summary>Resolves every grounding token; each missing one is a problem.</summary>
    public static GroundingVocabulary? Resolve(GroundingSettings settings, SentencePieceTextTokenizer tokenizer, List<string> problems)
    {
        int before = problems.Count;
        int Id(string token, string key)
        {
            if (tokenizer.AddedTokens.TryGetValue(token, out int id))
            {
                return id;
            }

            problems.Add($"medserve.json: generation.grounding.{key} '{token}' is not an added token of the tokenizer");
            return -1;
        }

        if (settings.CoordinateBins is < 1 or > 10_000)
        {
            problems.Add("medserve.json: generation.grounding.coordinate_bins must be from 1 to 10000");
            return null;
        }

        var vocabulary = new GroundingVocabulary(
            Id(settings.ObjectStart, "object_start"), Id(settings.ObjectEnd, "object_end"),
            Id(settings.BoxStart, "box_start"), Id(settings.BoxEnd, "box_end"), settings.CoordinateBins);
        for (int bin = 0; bin < settings.CoordinateBins; bin++)
        {
            string label = bin.ToString(CultureInfo.InvariantCulture);
            int x = Id(settings.XToken.Replace("{bin}", label, StringComparison.Ordinal), "x_token");
            int y = Id(settings.YToken.Replace("{bin}", label, StringComparison.Ordinal), "y_token");
            if (problems.Count > before)
            {
                // One missing bin usually means all are; name the first only.
                return null;
            }

            vocabulary._xBins[x] = bin;
            vocabulary._yBins[y] = bin;
        }

        return problems.Count > before ? null : vocabulary;
    }

    public bool IsGrammarToken(int id) =>
        id == ObjectStart || id == ObjectEnd || id == BoxStart || id == BoxEnd || _xBins.ContainsKey(id) || _yBins.ContainsKey(id);

    public bool TryGetX(int id, out int bin) => _xBins.TryGetValue(id, out bin);

    public bool TryGetY(int id, out int bin) => _yBins.TryGetValue(id, out bin);
}
