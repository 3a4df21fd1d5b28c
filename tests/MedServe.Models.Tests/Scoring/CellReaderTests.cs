using System.Text;
using MedServe.Models.Scoring;

namespace MedServe.Models.Tests.Scoring;

public sealed class CellReaderTests
{
    private static ScoringFrame Frame(string cellJson) =>
        ScoringFrameParser.TryParse(Encoding.UTF8.GetBytes("{\"input_data\": {\"columns\": [\"image\"], \"data\": [[" + cellJson + "]]}}"), out string error)
        ?? throw new InvalidOperationException(error);

    [Theory]
    [InlineData("\"aGVsbG8gd29ybGQ=\"")]
    [InlineData("\"aGVsbG8g\\nd29ybGQ=\"")]
    [InlineData("\"aGVsbG8g\\r\\nd29y\\nbGQ=\\n\"")]
    public void TryReadBase64_PlainOrWithLineBreaks_Decodes(string cell)
    {
        using var frame = Frame(cell);
        Assert.True(CellReader.TryReadBase64(frame, 0, "image", out byte[]? bytes, out _));
        Assert.Equal("hello world", Encoding.ASCII.GetString(bytes!));
    }

    [Theory]
    // "+/8=" is 0xFB 0xFF; serializers may escape '+' as \u002B (System.Text.Json's default) and '/' as \/.
    [InlineData("\"+/8=\"")]
    [InlineData("\"\\u002B\\/8=\"")]
    [InlineData("\"\\u002b/8\\u003D\"")]
    [InlineData("\"+/\\u000A8=\"")]
    [InlineData("\" +/8=\\t\"")]
    public void TryReadBase64_JsonEscapesInsideTheBase64_Decodes(string cell)
    {
        using var frame = Frame(cell);
        Assert.True(CellReader.TryReadBase64(frame, 0, "image", out byte[]? bytes, out string error), error);
        Assert.Equal([0xFB, 0xFF], bytes);
    }

    [Theory]
    [InlineData("\"+/8\\\"=\"")]
    [InlineData("\"+/8\\\\=\"")]
    [InlineData("\"+/8\\u00E9\"")]
    [InlineData("\"+/é=\"")]
    public void TryReadBase64_OtherEscapesOrCharacters_Refused(string cell)
    {
        using var frame = Frame(cell);
        Assert.False(CellReader.TryReadBase64(frame, 0, "image", out _, out string error));
        Assert.Equal("row 0, column 'image': not valid base64", error);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"\"")]
    public void TryReadBase64_NullOrEmpty_MeansNotSent(string cell)
    {
        using var frame = Frame(cell);
        Assert.True(CellReader.TryReadBase64(frame, 0, "image", out byte[]? bytes, out _));
        Assert.Null(bytes);
    }

    [Theory]
    [InlineData("\"abc\"", "row 0, column 'image': not valid base64")]
    [InlineData("\"@@@@\"", "row 0, column 'image': not valid base64")]
    [InlineData("\"\\n\\n\"", "row 0, column 'image': not valid base64")]
    [InlineData("true", "row 0, column 'image': expected a base64 string or null, got a boolean")]
    [InlineData("[1]", "row 0, column 'image': expected a base64 string or null, got a list")]
    public void TryReadBase64_Invalid_NamesRowAndColumn(string cell, string expected)
    {
        using var frame = Frame(cell);
        Assert.False(CellReader.TryReadBase64(frame, 0, "image", out _, out string error));
        Assert.Equal(expected, error);
    }
}
