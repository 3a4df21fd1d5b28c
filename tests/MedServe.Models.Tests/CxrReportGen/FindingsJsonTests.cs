using MedServe.Models.CxrReportGen;

namespace MedServe.Models.Tests.CxrReportGen;

public sealed class FindingsJsonTests
{
    [Fact]
    public void Write_MatchesPythonJsonDumps()
    {
        Finding[] findings =
        [
            new("The heart size is normal.", null),
            new("The aorta is \"tortuous\" é\n", [new FindingBox(0.415, 0.225, 0.635, 0.755), new FindingBox(0, 1, 0.5, 0.25)]),
        ];
        Assert.Equal(
            "[[\"The heart size is normal.\", null], [\"The aorta is \\\"tortuous\\\" \\u00e9\\n\", [[0.415, 0.225, 0.635, 0.755], [0.0, 1.0, 0.5, 0.25]]]]",
            FindingsJson.Write(findings));
    }

    [Fact]
    public void Write_NoFindings_IsAnEmptyList() => Assert.Equal("[]", FindingsJson.Write([]));
}
