using System.Text.Json;
using MedServe.Contracts;
using MedServe.Models.MedImageParse;

namespace MedServe.Models.Tests.MedImageParse;

public sealed class MedImageParseResponseWriterTests
{
    [Fact]
    public void Write_TwoRows_IsTheArrayOfRowsWithTheMaskArrayText()
    {
        byte[] first = [.. Enumerable.Range(0, 2 * 3 * 5).Select(i => (byte)(i * 9))];
        byte[] second = [255, 254, 253, 0];
        var rows = new[]
        {
            new MedImageParseRowResult(first, 2, 3, 5, ["liver", "other \"lesion\""], null, null),
            new MedImageParseRowResult(second, 1, 2, 2, ["tumor"], [0.25], ["n/a <none>"]),
        };

        byte[] body = MedImageParseResponseWriter.Write(rows);

        using var doc = JsonDocument.Parse(body);
        var array = doc.RootElement;
        Assert.Equal(2, array.GetArrayLength());
        Assert.Equal(MaskArray.Encode(first, 2, 3, 5), array[0].GetProperty("image_features").GetString());
        Assert.Equal(["liver", "other \"lesion\""], array[0].GetProperty("text_features").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["image_features", "text_features"], array[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(MaskArray.Encode(second, 1, 2, 2), array[1].GetProperty("image_features").GetString());
        Assert.Equal(0.25, array[1].GetProperty("p_values")[0].GetDouble());
        Assert.Equal("n/a <none>", array[1].GetProperty("p_value_reasons")[0].GetString());
        Assert.Contains("\"n/a <none>\"", System.Text.Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NoMasks_IsAnEmptyDataString()
    {
        byte[] body = MedImageParseResponseWriter.Write([new MedImageParseRowResult([], 0, 4, 4, [], [], null)]);
        Assert.Equal("[{\"image_features\":\"{\\\"data\\\": \\\"\\\", \\\"shape\\\": [0, 4, 4], \\\"dtype\\\": \\\"uint8\\\"}\",\"text_features\":[],\"p_values\":[]}]", System.Text.Encoding.UTF8.GetString(body));
    }
}
