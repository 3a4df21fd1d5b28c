using MedServe.Models.MedImageParse.Detection;

namespace MedServe.Models.Tests.MedImageParse.Detection;

// Masks are one row of a few pixels; "region" is prob > 0.1 (float32), "area > 0.5" is prob > 0.5.
public sealed class RecognitionMergerTests
{
    private static RecognitionCandidate Candidate(string target, double pValue, params float[] probability) => new(target, probability, pValue);

    // 255 at the given pixels, 0 elsewhere.
    private static byte[] Mask(int length, params int[] pixels)
    {
        var mask = new byte[length];
        foreach (int pixel in pixels)
        {
            mask[pixel] = 255;
        }

        return mask;
    }

    private static void AssertTargets(IReadOnlyList<RecognizedTarget> actual, params (string Target, double PValue, byte[] Mask)[] expected)
    {
        Assert.Equal(expected.Select(e => e.Target), actual.Select(a => a.Target));
        Assert.Equal(expected.Select(e => e.PValue), actual.Select(a => a.PValue));
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Mask, actual[i].Mask);
        }
    }

    [Fact]
    public void FilterByPValue_Threshold_DropsOnlyPValuesBelowIt()
    {
        // p < 0.05 is dropped; p = 0.05 stays (the reference's strict "<"). Order is kept.
        RecognitionCandidate[] candidates = [Candidate("a", 0.2, 1f), Candidate("b", 0.049, 1f), Candidate("c", 0.05, 1f), Candidate("d", 0, 1f)];

        IReadOnlyList<RecognitionCandidate> kept = RecognitionMerger.FilterByPValue(candidates, 0.05);

        Assert.Equal(["a", "c"], kept.Select(c => c.Target));
    }

    [Fact]
    public void FilterByPValue_ZeroThreshold_KeepsEverything()
    {
        // "if threshold and p < threshold": a threshold of 0 is falsy, so even p = 0 stays.
        RecognitionCandidate[] candidates = [Candidate("a", 0, 1f), Candidate("b", 0.5, 1f)];

        Assert.Equal(["a", "b"], RecognitionMerger.FilterByPValue(candidates, 0).Select(c => c.Target));
    }

    [Fact]
    public void Merge_MaskMostlyInsideABetterOne_IsSuppressed()
    {
        // Sorted by p: A (0.9), C (0.7), B (0.5).
        // A > 0.5 at {0,1,2,3}: kept.
        // C > 0.5 at {5,6}: overlap with A = 0: kept.
        // B > 0.5 at {2,3,4}: overlap with A = {2,3} = 2 > 0.5 · 3: suppressed.
        // Combine(A, C): disjoint regions, A gets {0..3}, C gets {5,6}.
        RecognitionCandidate[] candidates =
        [
            Candidate("B", 0.5, 0, 0, 0.8f, 0.8f, 0.8f, 0, 0, 0),
            Candidate("C", 0.7, 0, 0, 0, 0, 0, 0.8f, 0.8f, 0),
            Candidate("A", 0.9, 0.9f, 0.9f, 0.9f, 0.9f, 0, 0, 0, 0),
        ];

        IReadOnlyList<RecognizedTarget> result = RecognitionMerger.Merge(candidates);

        AssertTargets(result, ("A", 0.9, Mask(8, 0, 1, 2, 3)), ("C", 0.7, Mask(8, 5, 6)));
    }

    [Fact]
    public void Merge_OverlapOfExactlyHalf_IsKept()
    {
        // A (0.9) > 0.5 at {0,1}. B (0.8) > 0.5 at {1,2}: overlap {1} = 1, not > 0.5 · 2: kept.
        // Combine: pixel 1 goes to A (0.9 > 0.7); B wins {2} only: combined 1, area 2, 1 < 1 is false: not
        // discarded. Masks: A {0,1}, B {2}.
        RecognitionCandidate[] candidates =
        [
            Candidate("A", 0.9, 0.9f, 0.9f, 0, 0),
            Candidate("B", 0.8, 0, 0.7f, 0.7f, 0),
        ];

        IReadOnlyList<RecognizedTarget> result = RecognitionMerger.Merge(candidates);

        AssertTargets(result, ("A", 0.9, Mask(4, 0, 1)), ("B", 0.8, Mask(4, 2)));
    }

    [Fact]
    public void Merge_Overlap_CountsOnlyPixelsAboveHalfOfTheKeptMask()
    {
        // A (0.9): 0.9 at {0,3}, 0.3 at {1,2}. B (0.8): 0.9 at {1,2}.
        // B > 0.5 at {1,2}; A > 0.5 at {0,3}: overlap 0 (A's 0.3 pixels do not count): B is kept.
        // Regions: A {0,1,2,3} (4), B {1,2} (2). Winners: 0,3 → A; 1,2 → B. Combined: A 2 (2 < 2 no), B 2.
        // Masks: A {0,3}, B {1,2}.
        RecognitionCandidate[] candidates =
        [
            Candidate("A", 0.9, 0.9f, 0.3f, 0.3f, 0.9f),
            Candidate("B", 0.8, 0, 0.9f, 0.9f, 0),
        ];

        IReadOnlyList<RecognizedTarget> result = RecognitionMerger.Merge(candidates);

        AssertTargets(result, ("A", 0.9, Mask(4, 0, 3)), ("B", 0.8, Mask(4, 1, 2)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Merge_EqualPValues_EarlierCandidateWins(bool reversed)
    {
        // Same p and the same region: the stable sort keeps input order, so the first one is kept and the
        // second, fully inside it, is suppressed.
        RecognitionCandidate first = Candidate("first", 0.5, 0.9f, 0.9f, 0);
        RecognitionCandidate second = Candidate("second", 0.5, 0.9f, 0.9f, 0);
        RecognitionCandidate[] candidates = reversed ? [second, first] : [first, second];

        IReadOnlyList<RecognizedTarget> result = RecognitionMerger.Merge(candidates);

        AssertTargets(result, (reversed ? "second" : "first", 0.5, Mask(3, 0, 1)));
    }

    [Fact]
    public void Merge_NoPixelAboveHalf_IsSkippedEvenWithTheBestPValue()
    {
        // A has the best p but no pixel > 0.5 (0.5 itself is not above): skipped, and so cannot suppress B.
        // B alone: > 0.5 at {0,1,2}.
        RecognitionCandidate[] candidates =
        [
            Candidate("A", 0.99, 0.5f, 0.5f, 0.5f),
            Candidate("B", 0.1, 0.6f, 0.6f, 0.6f),
        ];

        IReadOnlyList<RecognizedTarget> result = RecognitionMerger.Merge(candidates);

        AssertTargets(result, ("B", 0.1, Mask(3, 0, 1, 2)));
    }

    [Fact]
    public void Merge_NothingAboveHalf_IsEmpty()
    {
        Assert.Empty(RecognitionMerger.Merge([Candidate("A", 0.9, 0.4f, 0.2f), Candidate("B", 0.8, 0, 0.5f)]));
        Assert.Empty(RecognitionMerger.Merge([]));
    }

    [Fact]
    public void Merge_SingleTarget_MaskIsItsPixelsAboveHalf()
    {
        // 0.9 → in; 0.5 → out (not > 0.5); 0.50000006 (the next float) → in; 0.2 → in the region only.
        float aboveHalf = BitConverter.Int32BitsToSingle(0x3F000001);

        IReadOnlyList<RecognizedTarget> result = RecognitionMerger.Merge([Candidate("A", 0.3, 0.9f, 0.5f, aboveHalf, 0.2f)]);

        AssertTargets(result, ("A", 0.3, Mask(4, 0, 2)));
    }

    [Fact]
    public void Merge_PixelTie_GoesToTheEarlierKeptTarget()
    {
        // Kept order is by p: A (0.9) then B (0.6), although B comes first in the input.
        // B > 0.5 at {1,2,3}: overlap with A {1} = 1, not > 1.5: kept.
        // Pixel 1: A and B both 0.8 → A (earliest in kept order), for the combined areas and the final mask.
        // Areas: A region {0,1} wins both; B region {1,2,3} wins {2,3}: 2 ≥ 1.5, kept.
        RecognitionCandidate[] candidates =
        [
            Candidate("B", 0.6, 0, 0.8f, 0.8f, 0.8f),
            Candidate("A", 0.9, 0.8f, 0.8f, 0, 0),
        ];

        IReadOnlyList<RecognizedTarget> result = RecognitionMerger.Merge(candidates);

        AssertTargets(result, ("A", 0.9, Mask(4, 0, 1)), ("B", 0.6, Mask(4, 2, 3)));
    }

    [Fact]
    public void Merge_RegionTie_CountsForTheEarlierKeptTarget()
    {
        // A (0.9): 0.9 at {0,1}, 0.3 at {2,3}. B (0.8): 0.3 at {2,3}, 0.6 at {4}. Pixels > 0.5 are disjoint.
        // Regions: A {0..3} (4), B {2,3,4} (3). Pixels 2 and 3 tie at 0.3 and count for A, the earlier.
        // Combined: A 4, B 1 < 1.5 → B is discarded (mean 0.4 < A's 0.6). Had the ties gone to B, B would
        // have 3 and stay. Mask: A {0,1}.
        RecognitionCandidate[] candidates =
        [
            Candidate("A", 0.9, 0.9f, 0.9f, 0.3f, 0.3f, 0, 0),
            Candidate("B", 0.8, 0, 0, 0.3f, 0.3f, 0.6f, 0),
        ];

        IReadOnlyList<RecognizedTarget> result = RecognitionMerger.Merge(candidates);

        AssertTargets(result, ("A", 0.9, Mask(6, 0, 1)));
    }

    [Fact]
    public void Merge_TargetWinningLessThanHalfItsRegion_IsDiscardedAndItsPixelsGoToTheNextBest()
    {
        // A (0.9): [0.9 ×4, 0 ×4]. B (0.8): 0.6 at {4,5}. D (0.7): 0.3 at {0..3}, 0.7 at {4,6}.
        // Suppression: D > 0.5 at {4,6}; overlap with A = 0, with B = {4} = 1, not > 1: all kept.
        // Regions (> 0.1): A {0..3} (4), B {4,5} (2), D {0,1,2,3,4,6} (6).
        // Winners: {0..3} → A (0.9 > 0.3); 4 → D (0.7 > 0.6); 5 → B; 6 → D. Combined: A 4, B 1, D 2.
        // Discard (combined < area / 2): A 4 < 2 no; B 1 < 1 no; D 2 < 3 yes. Most confident (mean over the
        // region): A 0.9, B 0.6, D (4·0.3 + 2·0.7)/6 ≈ 0.433 → A; D stays discarded.
        // Masks (> 0.5, discarded targets excluded): pixel 4 → B (0.6, D is out); pixel 6 → nobody.
        RecognitionCandidate[] candidates =
        [
            Candidate("A", 0.9, 0.9f, 0.9f, 0.9f, 0.9f, 0, 0, 0, 0),
            Candidate("B", 0.8, 0, 0, 0, 0, 0.6f, 0.6f, 0, 0),
            Candidate("D", 0.7, 0.3f, 0.3f, 0.3f, 0.3f, 0.7f, 0, 0.7f, 0),
        ];

        IReadOnlyList<RecognizedTarget> result = RecognitionMerger.Merge(candidates);

        AssertTargets(result, ("A", 0.9, Mask(8, 0, 1, 2, 3)), ("B", 0.8, Mask(8, 4, 5)));
    }

    [Fact]
    public void Merge_DiscardedButMostConfident_IsKept()
    {
        // A (0.9): 0.95 at {0}, 0.2 at {1,2,3}. B (0.8): 0.3 at {1,2,3}, 0.6 at {4}.
        // Suppression: A > 0.5 at {0}, B at {4}: disjoint, both kept.
        // Regions: A {0,1,2,3} (4), B {1,2,3,4} (4). Winners: 0 → A; 1..3 → B (0.3 > 0.2); 4 → B.
        // Combined: A 1 < 2 → would be discarded; B 4.
        // Means: A (0.95 + 3·0.2)/4 = 0.3875, B (3·0.3 + 0.6)/4 = 0.375 → A is the most confident: kept.
        // Masks: A {0}; B {4} (pixels 1..3 are not > 0.5 for anyone).
        RecognitionCandidate[] candidates =
        [
            Candidate("A", 0.9, 0.95f, 0.2f, 0.2f, 0.2f, 0, 0),
            Candidate("B", 0.8, 0, 0.3f, 0.3f, 0.3f, 0.6f, 0),
        ];

        IReadOnlyList<RecognizedTarget> result = RecognitionMerger.Merge(candidates);

        AssertTargets(result, ("A", 0.9, Mask(6, 0)), ("B", 0.8, Mask(6, 4)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Merge_MostConfidentTie_EarlierInKeptOrderSurvives(bool yFirst)
    {
        // X: 0.6 at {0}, 0.2 at {1,2}. Y: 0.6 at {3}, 0.2 at {4,5}. Z (0.7): 0.25 at {1,2,4,5}, 0.51 at {6}.
        // Suppression: pixels > 0.5 are {0}, {3}, {6}: disjoint, all kept, in p order.
        // Winners: 0 → X; 1,2 → Z (0.25 > 0.2); 3 → Y; 4,5 → Z; 6 → Z. Combined: X 1, Y 1, Z 5.
        // Discard (combined < area / 2): X 1 < 1.5 and Y 1 < 1.5 yes; Z 5 < 2.5 no.
        // Means: X = Y = (0.6 + 0.2 + 0.2)/3 ≈ 0.333 (the same floats summed in the same order: equal);
        // Z = (4·0.25 + 0.51)/5 = 0.302. The tie X = Y goes to the earlier in kept order, which survives.
        RecognitionCandidate x = Candidate("X", yFirst ? 0.8 : 0.9, 0.6f, 0.2f, 0.2f, 0, 0, 0, 0);
        RecognitionCandidate y = Candidate("Y", yFirst ? 0.9 : 0.8, 0, 0, 0, 0.6f, 0.2f, 0.2f, 0);
        RecognitionCandidate z = Candidate("Z", 0.7, 0, 0.25f, 0.25f, 0, 0.25f, 0.25f, 0.51f);

        IReadOnlyList<RecognizedTarget> result = RecognitionMerger.Merge([x, y, z]);

        if (yFirst)
        {
            AssertTargets(result, ("Y", 0.9, Mask(7, 3)), ("Z", 0.7, Mask(7, 6)));
        }
        else
        {
            AssertTargets(result, ("X", 0.9, Mask(7, 0)), ("Z", 0.7, Mask(7, 6)));
        }
    }

    [Fact]
    public void Merge_RegionThreshold_ComparesInFloat32()
    {
        // A (0.9): 0.9 at {0,1}. B (0.8): 0.1f at {0,1}, 0.6 at {2}.
        // numpy compares the float32 array with 0.1 in float32, so 0.1f is not > 0.1: B's region is {2}, its
        // area 1 and combined area 1: kept. Compared in double (0.1f = 0.10000000149 > 0.1), B's area would be
        // 3 with combined 1 < 1.5, and B (mean 0.27 < 0.9) would be discarded.
        RecognitionCandidate[] candidates =
        [
            Candidate("A", 0.9, 0.9f, 0.9f, 0),
            Candidate("B", 0.8, 0.1f, 0.1f, 0.6f),
        ];

        IReadOnlyList<RecognizedTarget> result = RecognitionMerger.Merge(candidates);

        AssertTargets(result, ("A", 0.9, Mask(3, 0, 1)), ("B", 0.8, Mask(3, 2)));
    }

    [Fact]
    public void Merge_RepeatedTarget_Throws()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => RecognitionMerger.Merge([Candidate("A", 0.9, 1f), Candidate("A", 0.8, 1f)]));

        Assert.StartsWith("Target 'A' appears more than once among the candidates.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_DifferentLengths_Throws()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => RecognitionMerger.Merge([Candidate("A", 0.9, 1f, 1f), Candidate("B", 0.8, 1f)]));

        Assert.StartsWith("Candidate 'B' has 1 pixels; the first has 2.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_NaNPValue_Throws()
    {
        Assert.Throws<ArgumentException>(() => RecognitionMerger.Merge([Candidate("A", double.NaN, 1f)]));
    }
}
