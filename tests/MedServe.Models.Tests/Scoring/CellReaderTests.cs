using System.Text;
using MedServe.Models.Buffers;
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

    [Theory]
    [InlineData("\"aGVsbG8gd29ybGQ=\"")]
    [InlineData("\"aGVsbG8g\\r\\nd29y\\nbGQ=\\n\"")]
    public void TryReadBase64_IntoAPool_DecodesExactlyTheLength(string cell)
    {
        var pool = new RequestBufferPool(minimumPooledLength: 4);
        using var frame = Frame(cell);
        Assert.True(CellReader.TryReadBase64(frame, 0, "image", pool, out PooledBuffer? bytes, out string error), error);
        using (bytes)
        {
            Assert.Equal("hello world", Encoding.ASCII.GetString(bytes!.Span));
            Assert.Equal(11, bytes.Memory.Length);
        }

        Assert.Equal(0, pool.LentCount);
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("\"aGVsbG8g@@@@bGQ=\"")]
    [InlineData("\"aGVsbG8g\\nd29y=GQ=\"")]
    [InlineData("true")]
    public void TryReadBase64_IntoAPoolInvalid_LendsNothing(string cell)
    {
        var pool = new RequestBufferPool(minimumPooledLength: 4);
        using var frame = Frame(cell);
        Assert.False(CellReader.TryReadBase64(frame, 0, "image", pool, out PooledBuffer? bytes, out _));
        Assert.Null(bytes);
        Assert.Equal(0, pool.LentCount);
    }

    [Theory]
    // MIME line breaks every 76 characters, with and without a final one; 4096 base64 characters
    // (one whole decode chunk) followed only by a line break; several chunks with \/ escapes.
    [InlineData(40_000, 76, "\\r\\n", true)]
    [InlineData(40_001, 76, "\\n", false)]
    [InlineData(3_072, 0, "", true)]
    [InlineData(30_002, 64, "\\u002F", false)]
    public void TryReadBase64_LongCellAcrossDecodeChunks_EqualsTheSource(int length, int lineLength, string lineBreak, bool finalBreak)
    {
        byte[] source = new byte[length];
        new Random(length).NextBytes(source);
        string base64 = Convert.ToBase64String(source);
        var cell = new StringBuilder("\"");
        for (int i = 0; i < base64.Length; i += lineLength == 0 ? base64.Length : lineLength)
        {
            cell.Append(base64.AsSpan(i, Math.Min(lineLength == 0 ? base64.Length : lineLength, base64.Length - i)));
            if (i + lineLength < base64.Length)
            {
                cell.Append(lineBreak == "\\u002F" ? "\\n" : lineBreak);
            }
        }

        if (finalBreak)
        {
            cell.Append("\\n");
        }

        cell.Append('"');
        using var frame = Frame(cell.ToString().Replace("/", lineBreak == "\\u002F" ? "\\/" : "/", StringComparison.Ordinal));
        Assert.True(CellReader.TryReadBase64(frame, 0, "image", out byte[]? plain, out string error), error);
        Assert.Equal(source, plain);
        Assert.True(CellReader.TryReadBase64(frame, 0, "image", new RequestBufferPool(minimumPooledLength: 1024), out PooledBuffer? pooled, out error), error);
        using (pooled)
        {
            Assert.Equal(source, pooled!.Span.ToArray());
        }
    }
}
