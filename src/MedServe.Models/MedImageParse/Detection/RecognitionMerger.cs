namespace MedServe.Models.MedImageParse.Detection;

/// <summary>
/// Recognition ("segment every target of an image type") after the existence test: BiomedParse's
/// non-maxima suppression and mask combination, reproduced with flat arrays.
/// </summary>
/// <remarks>
/// <code>
/// candidates ─► FilterByPValue (p &lt; threshold dropped; the caller's step)
///            ─► SuppressOverlaps: by p-value descending (stable); skip a mask with no pixel &gt; 0.5, or
///               one whose pixels &gt; 0.5 are more than half inside a kept mask's pixels &gt; 0.5
///            ─► Combine: region = prob &gt; 0.1; each pixel's winner is its most probable target; a target
///               winning fewer than half of its region is discarded, unless it has the highest mean
///               probability over its region; each remaining pixel with prob &gt; 0.5 goes to its most
///               probable remaining target
///            ─► masks of 255/0, in kept (p-value) order
/// </code>
/// Ties go to the earliest target in kept order everywhere, as Python's stable <c>sorted</c> and
/// first-maximum <c>max</c> do in the reference. Thresholds compare in float32 (0.1 is 0.1f), as numpy
/// compares a float32 array with a Python float.
/// </remarks>
public static class RecognitionMerger
{
    private const float MaskThreshold = 0.5f;
    private const float RegionThreshold = 0.1f;

    /// <summary>
    /// Drops the candidates whose p-value is below <paramref name="threshold"/>, keeping order; a threshold
    /// of 0 keeps every candidate (the reference's <c>if threshold and p &lt; threshold</c>).
    /// </summary>
    public static IReadOnlyList<RecognitionCandidate> FilterByPValue(IEnumerable<RecognitionCandidate> candidates, double threshold)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var kept = new List<RecognitionCandidate>();
        foreach (RecognitionCandidate candidate in candidates)
        {
            ArgumentNullException.ThrowIfNull(candidate, nameof(candidates));
            if (threshold != 0 && candidate.PValue < threshold)
            {
                continue;
            }

            kept.Add(candidate);
        }

        return kept;
    }

    /// <summary>
    /// Suppresses overlapping candidates and gives each pixel to one target; returns the targets that
    /// survive, in descending p-value order (ties in input order), each with its 255/0 mask.
    /// </summary>
    /// <param name="candidates">The candidates left by <see cref="FilterByPValue"/>, with distinct targets and
    /// probability arrays of one length. Where none survives suppression the result is empty (the reference
    /// fails on an empty dictionary there).</param>
    /// <exception cref="ArgumentException">Targets repeat, lengths differ, or a p-value is NaN.</exception>
    public static IReadOnlyList<RecognizedTarget> Merge(IReadOnlyList<RecognitionCandidate> candidates)
    {
        Validate(candidates);
        RecognitionCandidate[] kept = SuppressOverlaps(candidates);
        return kept.Length == 0 ? [] : Combine(kept);
    }

    /// <summary>The reference's <c>non_maxima_suppression</c>: the kept candidates, in kept order.</summary>
    internal static RecognitionCandidate[] SuppressOverlaps(IReadOnlyList<RecognitionCandidate> candidates)
    {
        // OrderByDescending is a stable sort, like Python's list.sort(reverse=True).
        RecognitionCandidate[] sorted = [.. candidates.OrderByDescending(c => c.PValue)];
        var kept = new List<RecognitionCandidate>(sorted.Length);
        foreach (RecognitionCandidate candidate in sorted)
        {
            float[] probability = candidate.Probability;
            long area = 0;
            for (int i = 0; i < probability.Length; i++)
            {
                if (probability[i] > MaskThreshold)
                {
                    area++;
                }
            }

            if (area == 0 || OverlapsMoreThanHalf(probability, area, kept))
            {
                continue;
            }

            kept.Add(candidate);
        }

        return [.. kept];
    }

    private static bool OverlapsMoreThanHalf(float[] probability, long area, List<RecognitionCandidate> kept)
    {
        foreach (RecognitionCandidate other in kept)
        {
            float[] otherProbability = other.Probability;
            long overlap = 0;
            for (int i = 0; i < probability.Length; i++)
            {
                if (probability[i] > MaskThreshold && otherProbability[i] > MaskThreshold)
                {
                    overlap++;
                }
            }

            // overlap > 0.5 · area, in integers.
            if (2 * overlap > area)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The reference's <c>combine_masks</c> over the kept candidates.</summary>
    private static RecognizedTarget[] Combine(RecognitionCandidate[] kept)
    {
        int targets = kept.Length;
        int pixels = kept[0].Probability.Length;
        var probabilities = new float[targets][];
        for (int t = 0; t < targets; t++)
        {
            probabilities[t] = kept[t].Probability;
        }

        var area = new long[targets];
        var probabilitySum = new double[targets];
        var combinedArea = new long[targets];
        for (int i = 0; i < pixels; i++)
        {
            int winner = -1;
            float best = 0;
            for (int t = 0; t < targets; t++)
            {
                float p = probabilities[t][i];
                if (p > RegionThreshold)
                {
                    area[t]++;

                    // Summed in double in pixel order, as the reference's Python scalar sum is under numpy 1.x.
                    probabilitySum[t] += p;
                    if (winner < 0 || p > best)
                    {
                        winner = t;
                        best = p;
                    }
                }
            }

            if (winner >= 0)
            {
                combinedArea[winner]++;
            }
        }

        int mostConfident = 0;
        double bestMean = double.NegativeInfinity;
        for (int t = 0; t < targets; t++)
        {
            double mean = area[t] == 0 ? 0 : probabilitySum[t] / area[t];
            if (mean > bestMean)
            {
                mostConfident = t;
                bestMean = mean;
            }
        }

        var discarded = new bool[targets];
        for (int t = 0; t < targets; t++)
        {
            // combined < 0.5 · area, in integers.
            discarded[t] = t != mostConfident && 2 * combinedArea[t] < area[t];
        }

        var masks = new byte[targets][];
        for (int t = 0; t < targets; t++)
        {
            masks[t] = discarded[t] ? [] : new byte[pixels];
        }

        for (int i = 0; i < pixels; i++)
        {
            int winner = -1;
            float best = 0;
            for (int t = 0; t < targets; t++)
            {
                float p = probabilities[t][i];
                if (!discarded[t] && p > MaskThreshold && (winner < 0 || p > best))
                {
                    winner = t;
                    best = p;
                }
            }

            if (winner >= 0)
            {
                masks[winner][i] = byte.MaxValue;
            }
        }

        var result = new List<RecognizedTarget>(targets);
        for (int t = 0; t < targets; t++)
        {
            if (!discarded[t])
            {
                result.Add(new RecognizedTarget(kept[t].Target, kept[t].PValue, masks[t]));
            }
        }

        return [.. result];
    }

    private static void Validate(IReadOnlyList<RecognitionCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var targets = new HashSet<string>(StringComparer.Ordinal);
        int length = -1;
        for (int c = 0; c < candidates.Count; c++)
        {
            RecognitionCandidate candidate = candidates[c]
                ?? throw new ArgumentException($"Candidate {c} is null.", nameof(candidates));
            ArgumentNullException.ThrowIfNull(candidate.Target, nameof(candidates));
            ArgumentNullException.ThrowIfNull(candidate.Probability, nameof(candidates));
            if (!targets.Add(candidate.Target))
            {
                throw new ArgumentException($"Target '{candidate.Target}' appears more than once among the candidates.", nameof(candidates));
            }

            if (length >= 0 && candidate.Probability.Length != length)
            {
                throw new ArgumentException(
                    $"Candidate '{candidate.Target}' has {candidate.Probability.Length} pixels; the first has {length}.",
                    nameof(candidates));
            }

            if (double.IsNaN(candidate.PValue))
            {
                throw new ArgumentException($"Candidate '{candidate.Target}' has a NaN p-value.", nameof(candidates));
            }

            length = candidate.Probability.Length;
        }
    }
}
