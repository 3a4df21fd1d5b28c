using System.Text;
using System.Text.Json;
using MedServe.Models.Scoring;

namespace MedServe.Models.Tests.Scoring;

public sealed class ScoringFrameParserTests
{
    private static ScoringFrame? Parse(string json, out string error) => ScoringFrameParser.TryParse(Encoding.UTF8.GetBytes(json), out error);

    [Fact]
    public void TryParse_SplitFrame_ExposesColumnsCellsAndParams()
    {
        using var frame = Parse("""{"input_data": {"columns": ["text", "image"], "index": [4, 9], "data": [["a", null], ["b", "Zm9v"]]}, "params": {"x": 1}}""", out _);
        Assert.NotNull(frame);
        Assert.Equal(["text", "image"], frame.Columns);
        Assert.Equal(2, frame.RowCount);
        Assert.Equal("b", frame.Cell(1, "text").GetString());
        Assert.Equal(JsonValueKind.Null, frame.Cell(0, "image").ValueKind);
        Assert.Equal(JsonValueKind.Undefined, frame.Cell(0, "missing").ValueKind);
        Assert.Equal(1, frame.Params!.Value.GetProperty("x").GetInt32());
    }

    [Theory]
    [InlineData("\"sitk\"")]
    [InlineData("7")]
    [InlineData("null")]
    [InlineData("[]")]
    public void TryParse_ParamsNotAnObject_AreIgnored(string paramsJson)
    {
        using var frame = Parse("{\"input_data\": {\"columns\": [\"text\"], \"data\": [[\"a\"]]}, \"params\": " + paramsJson + "}", out _);
        Assert.NotNull(frame);
        Assert.Null(frame.Params);
    }

    [Fact]
    public void TryParse_InvalidJson_ReportsPositionNotContent()
    {
        Assert.Null(Parse("{\"input_data\": SECRET-PATIENT-NAME}", out string error));
        Assert.StartsWith("the request body is not valid JSON (line 1, byte ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_LongColumnName_IsTruncatedInMessages()
    {
        string name = new('c', 500);
        Assert.Null(Parse("{\"input_data\": {\"columns\": [\"" + name + "\", \"" + name + "\"], \"data\": []}}", out string error));
        Assert.True(error.Length < 200, error);
    }
}
