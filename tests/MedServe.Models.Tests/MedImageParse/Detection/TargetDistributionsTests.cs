using System.Text;
using MedServe.Models.MedImageParse.Detection;

namespace MedServe.Models.Tests.MedImageParse.Detection;

public sealed class TargetDistributionsTests
{
    private const string FileName = "target_dist.json";

    // Four valid distributions; every parameter differs so a swapped or shifted read fails.
    private const string Four = "[[1.5, 2.5], [3, 4], [5, 6], [7, 8]]";

    private static TargetDistributions Parse(string json) => TargetDistributions.Parse(Encoding.UTF8.GetBytes(json), FileName);

    [Fact]
    public void Parse_ValidFile_KeepsFileOrderOfModalitiesAndTargets()
    {
        TargetDistributions file = Parse(
            $$$"""{"X-Ray-Chest": {"right lung": {{{Four}}}, "left lung": {{{Four}}}}, "CT-Abdomen": {"spleen": {{{Four}}}, "aorta": {{{Four}}}, "liver": {{{Four}}}}}""");

        Assert.Equal(["X-Ray-Chest", "CT-Abdomen"], file.Modalities);
        Assert.Equal(["right lung", "left lung"], file.Targets("X-Ray-Chest"));
        Assert.Equal(["spleen", "aorta", "liver"], file.Targets("CT-Abdomen"));
    }

    [Fact]
    public void TryGet_KnownPair_ReturnsTheFourDistributionsInOrder()
    {
        TargetDistributions file = Parse(
            """{"CT-Abdomen": {"liver": [[497.88613290346797, 8.79208581405346], [20.5, 16.25], [0.5, 0.75], [1e-3, 2E2]]}}""");

        Assert.True(file.TryGet("CT-Abdomen", "liver", out IReadOnlyList<BetaDistributionParameters> distributions));
        Assert.Equal(
            [
                new BetaDistributionParameters(497.88613290346797, 8.79208581405346),
                new BetaDistributionParameters(20.5, 16.25),
                new BetaDistributionParameters(0.5, 0.75),
                new BetaDistributionParameters(0.001, 200),
            ],
            distributions);
    }

    [Fact]
    public void TryGet_ExtraNumbersInADistribution_AreIgnored()
    {
        // A fitted loc/scale after a and b, as some files carry: only the first two are shape parameters.
        TargetDistributions file = Parse("""{"M": {"t": [[2, 3, 0, 1], [4, 5, -7.5], [6, 7], [8, 9, 1, 2, 3]]}}""");

        Assert.True(file.TryGet("M", "t", out IReadOnlyList<BetaDistributionParameters> distributions));
        Assert.Equal([new(2, 3), new(4, 5), new(6, 7), new(8, 9)], distributions);
    }

    [Theory]
    [InlineData("CT-Abdomen", "liver", true)]
    [InlineData("ct-abdomen", "liver", false)]
    [InlineData("CT-Abdomen", "Liver", false)]
    [InlineData("CT-Abdomen", "liver ", false)]
    [InlineData("CT-Chest", "liver", false)]
    public void TryGet_Names_MatchExactly(string modality, string target, bool expected)
    {
        TargetDistributions file = Parse($$$"""{"CT-Abdomen": {"liver": {{{Four}}}}}""");

        Assert.Equal(expected, file.TryGet(modality, target, out IReadOnlyList<BetaDistributionParameters> distributions));
        Assert.Equal(expected ? 4 : 0, distributions.Count);
    }

    [Theory]
    [InlineData("CT-Abdomen", true)]
    [InlineData("CT-abdomen", false)]
    [InlineData("CT", false)]
    public void HasModality_Names_MatchExactly(string modality, bool expected)
    {
        TargetDistributions file = Parse($$$"""{"CT-Abdomen": {"liver": {{{Four}}}}}""");

        Assert.Equal(expected, file.HasModality(modality));
    }

    [Fact]
    public void Targets_UnknownModality_Throws()
    {
        TargetDistributions file = Parse($$$"""{"CT-Abdomen": {"liver": {{{Four}}}}}""");

        KeyNotFoundException e = Assert.Throws<KeyNotFoundException>(() => file.Targets("MRI"));
        Assert.Equal("The target distributions have no modality 'MRI'.", e.Message);
    }

    [Fact]
    public void Parse_ByteOrderMark_IsSkipped()
    {
        byte[] json = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes($$$"""{"M": {"t": {{{Four}}}}}""")];

        TargetDistributions file = TargetDistributions.Parse(json, FileName);

        Assert.Equal(["M"], file.Modalities);
    }

    [Theory]
    [InlineData("", "target_dist.json: the file is empty")]
    [InlineData(" \r\n\t ", "target_dist.json: the file is empty")]
    [InlineData("[]", "target_dist.json: expected an object of modalities, got an array")]
    [InlineData("\"CT\"", "target_dist.json: expected an object of modalities, got a string")]
    [InlineData("{}", "target_dist.json: the file lists no modalities")]
    [InlineData("""{"CT-Abdomen": 3}""", "target_dist.json: modality 'CT-Abdomen': expected an object of targets, got a number")]
    [InlineData("""{"CT-Abdomen": [1]}""", "target_dist.json: modality 'CT-Abdomen': expected an object of targets, got an array")]
    [InlineData("""{"CT-Abdomen": {}}""", "target_dist.json: modality 'CT-Abdomen' has no targets")]
    [InlineData("""{"CT-Abdomen": {"liver": "beta"}}""", "target_dist.json: modality 'CT-Abdomen', target 'liver': expected an array of 4 distributions, got a string")]
    [InlineData("""{"CT-Abdomen": {"liver": null}}""", "target_dist.json: modality 'CT-Abdomen', target 'liver': expected an array of 4 distributions, got null")]
    [InlineData("""{"CT-Abdomen": {"liver": [[1, 2], [1, 2], [1, 2]]}}""", "target_dist.json: modality 'CT-Abdomen', target 'liver': expected 4 distributions, got 3")]
    [InlineData("""{"CT-Abdomen": {"liver": [[1, 2], [1, 2], [1, 2], [1, 2], [1, 2]]}}""", "target_dist.json: modality 'CT-Abdomen', target 'liver': expected 4 distributions, got 5")]
    [InlineData("""{"CT-Abdomen": {"liver": []}}""", "target_dist.json: modality 'CT-Abdomen', target 'liver': expected 4 distributions, got 0")]
    [InlineData("""{"CT-Abdomen": {"liver": [[1, 2], 3, [1, 2], [1, 2]]}}""", "target_dist.json: modality 'CT-Abdomen', target 'liver', distribution 2: expected an array [a, b], got a number")]
    [InlineData("""{"CT-Abdomen": {"liver": [[1, 2], [1, 2], [1, 2], {"a": 1}]}}""", "target_dist.json: modality 'CT-Abdomen', target 'liver', distribution 4: expected an array [a, b], got an object")]
    [InlineData("""{"CT-Abdomen": {"liver": [[1], [1, 2], [1, 2], [1, 2]]}}""", "target_dist.json: modality 'CT-Abdomen', target 'liver', distribution 1: expected at least 2 numbers [a, b], got 1")]
    [InlineData("""{"CT-Abdomen": {"liver": [[1, 2], [], [1, 2], [1, 2]]}}""", "target_dist.json: modality 'CT-Abdomen', target 'liver', distribution 2: expected at least 2 numbers [a, b], got 0")]
    [InlineData("""{"CT-Abdomen": {"liver": [[1, "2"], [1, 2], [1, 2], [1, 2]]}}""", "target_dist.json: modality 'CT-Abdomen', target 'liver', distribution 1: element 2 is a string, not a number")]
    [InlineData("""{"CT-Abdomen": {"liver": [[1, 2], [1, 2], [1, 2, true], [1, 2]]}}""", "target_dist.json: modality 'CT-Abdomen', target 'liver', distribution 3: element 3 is a boolean, not a number")]
    [InlineData("""{"CT-Abdomen": {"liver": [[1, 2], [1, 2], [0, 2], [1, 2]]}}""", "target_dist.json: modality 'CT-Abdomen', target 'liver', distribution 3: a = 0 is not positive")]
    [InlineData("""{"CT-Abdomen": {"liver": [[1, 2], [1, -2.5], [1, 2], [1, 2]]}}""", "target_dist.json: modality 'CT-Abdomen', target 'liver', distribution 2: b = -2.5 is not positive")]
    [InlineData("""{"CT-Abdomen": {"liver": [[1e400, 2], [1, 2], [1, 2], [1, 2]]}}""", "target_dist.json: modality 'CT-Abdomen', target 'liver', distribution 1: element 1 (1e400) is out of range")]
    [InlineData("""{"CT": {"liver": [[1, 2], [1, 2], [1, 2], [1, 2]]}, "CT": {"lung": [[1, 2], [1, 2], [1, 2], [1, 2]]}}""", "target_dist.json: modality 'CT' appears more than once")]
    [InlineData("""{"CT": {"liver": [[1, 2], [1, 2], [1, 2], [1, 2]], "liver": [[1, 2], [1, 2], [1, 2], [1, 2]]}}""", "target_dist.json: modality 'CT': target 'liver' appears more than once")]
    public void Parse_InvalidContent_ThrowsNamingFileAndProblem(string json, string expected)
    {
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => Parse(json));

        Assert.Equal(expected, e.Message);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{\"M\": {\"t\": [[1, 2], [1, 2], [1, 2], [1, 2]]}} x")]
    [InlineData("{\"M\": {\"t\": [[1, 2], [1, 2], [1, 2], [1, 2],]}}")]
    [InlineData("{\"M\": {\"t\": [[1, 2], [1, 2], [1, 2], [1, 2]]}} // note")]
    [InlineData("{\"M\": {\"t\": [[NaN, 2], [1, 2], [1, 2], [1, 2]]}}")]
    public void Parse_MalformedJson_ThrowsNamingFile(string json)
    {
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => Parse(json));

        Assert.StartsWith("target_dist.json: not valid JSON: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_File_ReadsItAndNamesItInErrors()
    {
        string folder = Directory.CreateTempSubdirectory("medserve-target-dist-").FullName;
        try
        {
            string good = Path.Combine(folder, "target_dist.json");
            File.WriteAllText(good, $$$"""{"OCT": {"edema": {{{Four}}}}}""");
            string bad = Path.Combine(folder, "other_dist.json");
            File.WriteAllText(bad, """{"OCT": {"edema": [[1, 2]]}}""");

            TargetDistributions file = TargetDistributions.Load(good);
            InvalidDataException e = Assert.Throws<InvalidDataException>(() => TargetDistributions.Load(bad));

            Assert.Equal(["edema"], file.Targets("OCT"));
            Assert.Equal("other_dist.json: modality 'OCT', target 'edema': expected 4 distributions, got 1", e.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
