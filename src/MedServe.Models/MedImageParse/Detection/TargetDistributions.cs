using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MedServe.Models.MedImageParse.Detection;

/// <summary>
/// The contents of a MedImageParse package's <c>target_dist.json</c>: for each modality (image type) and
/// each of its targets, four Beta distributions, one per <see cref="MaskStatistics"/> statistic, that the
/// existence test compares a predicted mask against.
/// </summary>
/// <remarks>
/// <para>
/// The file is <c>{"&lt;modality&gt;": {"&lt;target&gt;": [[a, b], [a, b], [a, b], [a, b]], ...}, ...}</c>.
/// Each distribution is an array of at least two numbers of which only the first two, the shape
/// parameters <c>a</c> and <c>b</c>, are used (the reference builds <c>scipy.stats.beta(p[0], p[1])</c>);
/// further numbers, such as a location and scale some fitting tools write, must be numbers but are
/// ignored. Both parameters must be positive and finite.
/// </para>
/// <para>
/// Modalities and targets keep their file order. Names match exactly (ordinal, case-sensitive), as the
/// reference's dictionary look-up does. A name that appears twice in one object is refused, where
/// Python's <c>json.load</c> would silently keep the last value.
/// </para>
/// </remarks>
public sealed class TargetDistributions
{
    /// <summary>The number of distributions per target, one per statistic. <value>The value is 4.</value></summary>
    public const int DistributionsPerTarget = MaskStatistics.Count;

    private readonly ReadOnlyCollection<string> _modalities;
    private readonly Dictionary<string, ReadOnlyCollection<string>> _targets;
    private readonly Dictionary<(string Modality, string Target), ReadOnlyCollection<BetaDistributionParameters>> _distributions;

    private TargetDistributions(
        List<string> modalities,
        Dictionary<string, ReadOnlyCollection<string>> targets,
        Dictionary<(string Modality, string Target), ReadOnlyCollection<BetaDistributionParameters>> distributions)
    {
        _modalities = modalities.AsReadOnly();
        _targets = targets;
        _distributions = distributions;
    }

    /// <summary>The modalities, in file order.</summary>
    public IReadOnlyList<string> Modalities => _modalities;

    /// <summary>Reads and parses a <c>target_dist.json</c> file.</summary>
    /// <param name="path">The file to read; its name (without folders) prefixes every error message.</param>
    /// <exception cref="InvalidDataException">The content is not a valid target distribution file.</exception>
    public static TargetDistributions Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllBytes(path), Path.GetFileName(path));
    }

    /// <summary>Parses the UTF-8 JSON content of a <c>target_dist.json</c> file.</summary>
    /// <param name="utf8Json">The file content; a UTF-8 byte order mark is allowed.</param>
    /// <param name="fileName">The name that prefixes every error message, e.g. <c>target_dist.json</c>.</param>
    /// <exception cref="InvalidDataException">
    /// The content is empty, not JSON, or not shaped as described on <see cref="TargetDistributions"/>; the
    /// message names the file and, where it applies, the modality, target and distribution at fault.
    /// </exception>
    public static TargetDistributions Parse(ReadOnlySpan<byte> utf8Json, string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        if (utf8Json.StartsWith(bom))
        {
            utf8Json = utf8Json[bom.Length..];
        }

        if (utf8Json.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw Invalid(fileName, "the file is empty");
        }

        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            TargetDistributions result = ReadRoot(ref reader, fileName);

            // Surfaces content after the root object as a JsonException.
            reader.Read();
            return result;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{fileName}: not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Whether the file has distributions for <paramref name="modality"/> (exact match).</summary>
    public bool HasModality(string modality)
    {
        ArgumentNullException.ThrowIfNull(modality);
        return _targets.ContainsKey(modality);
    }

    /// <summary>The targets of <paramref name="modality"/>, in file order.</summary>
    /// <exception cref="KeyNotFoundException">The modality is not in the file (see <see cref="HasModality"/>).</exception>
    public IReadOnlyList<string> Targets(string modality)
    {
        ArgumentNullException.ThrowIfNull(modality);
        return _targets.TryGetValue(modality, out ReadOnlyCollection<string>? targets)
            ? targets
            : throw new KeyNotFoundException($"The target distributions have no modality '{modality}'.");
    }

    /// <summary>
    /// Gets the four distributions of (<paramref name="modality"/>, <paramref name="target"/>), in statistic
    /// order (see <see cref="MaskStatistics"/>); false when either name is not in the file (exact match).
    /// </summary>
    public bool TryGet(string modality, string target, out IReadOnlyList<BetaDistributionParameters> distributions)
    {
        ArgumentNullException.ThrowIfNull(modality);
        ArgumentNullException.ThrowIfNull(target);
        if (_distributions.TryGetValue((modality, target), out ReadOnlyCollection<BetaDistributionParameters>? found))
        {
            distributions = found;
            return true;
        }

        distributions = [];
        return false;
    }

    private static TargetDistributions ReadRoot(ref Utf8JsonReader reader, string fileName)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Invalid(fileName, $"expected an object of modalities, got {Describe(reader.TokenType)}");
        }

        var modalities = new List<string>();
        var targets = new Dictionary<string, ReadOnlyCollection<string>>(StringComparer.Ordinal);
        var distributions = new Dictionary<(string Modality, string Target), ReadOnlyCollection<BetaDistributionParameters>>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string modality = reader.GetString()!;
            if (targets.ContainsKey(modality))
            {
                throw Invalid(fileName, $"modality '{modality}' appears more than once");
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Invalid(fileName, $"modality '{modality}': expected an object of targets, got {Describe(reader.TokenType)}");
            }

            var names = new List<string>();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string target = reader.GetString()!;
                if (distributions.ContainsKey((modality, target)))
                {
                    throw Invalid(fileName, $"modality '{modality}': target '{target}' appears more than once");
                }

                reader.Read();
                distributions.Add((modality, target), ReadDistributions(ref reader, $"{fileName}: modality '{modality}', target '{target}'"));
                names.Add(target);
            }

            if (names.Count == 0)
            {
                throw Invalid(fileName, $"modality '{modality}' has no targets");
            }

            modalities.Add(modality);
            targets.Add(modality, names.AsReadOnly());
        }

        if (modalities.Count == 0)
        {
            throw Invalid(fileName, "the file lists no modalities");
        }

        return new TargetDistributions(modalities, targets, distributions);
    }

    private static ReadOnlyCollection<BetaDistributionParameters> ReadDistributions(ref Utf8JsonReader reader, string where)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new InvalidDataException($"{where}: expected an array of {DistributionsPerTarget} distributions, got {Describe(reader.TokenType)}");
        }

        var distributions = new List<BetaDistributionParameters>(DistributionsPerTarget);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            string at = $"{where}, distribution {distributions.Count + 1}";
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new InvalidDataException($"{at}: expected an array [a, b], got {Describe(reader.TokenType)}");
            }

            double a = 0;
            double b = 0;
            int count = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                count++;
                if (reader.TokenType != JsonTokenType.Number)
                {
                    throw new InvalidDataException($"{at}: element {count} is {Describe(reader.TokenType)}, not a number");
                }

                if (!reader.TryGetDouble(out double value) || !double.IsFinite(value))
                {
                    throw new InvalidDataException($"{at}: element {count} ({Encoding.UTF8.GetString(reader.ValueSpan)}) is out of range");
                }

                if (count == 1)
                {
                    a = value;
                }
                else if (count == 2)
                {
                    b = value;
                }
            }

            if (count < 2)
            {
                throw new InvalidDataException($"{at}: expected at least 2 numbers [a, b], got {count}");
            }

            if (a <= 0)
            {
                throw new InvalidDataException($"{at}: a = {a.ToString(CultureInfo.InvariantCulture)} is not positive");
            }

            if (b <= 0)
            {
                throw new InvalidDataException($"{at}: b = {b.ToString(CultureInfo.InvariantCulture)} is not positive");
            }

            distributions.Add(new BetaDistributionParameters(a, b));
        }

        if (distributions.Count != DistributionsPerTarget)
        {
            throw new InvalidDataException($"{where}: expected {DistributionsPerTarget} distributions, got {distributions.Count}");
        }

        return distributions.AsReadOnly();
    }

    private static InvalidDataException Invalid(string fileName, string problem) => new($"{fileName}: {problem}");

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
