using System.Text.Json;
using MedServe.Models.Scoring;

namespace MedServe.Models.Tests.Scoring;

public sealed class ParamReaderTests
{
    private static JsonElement Params(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Theory]
    [InlineData("{\"p\": true}", true)]
    [InlineData("{\"p\": false}", false)]
    [InlineData("{\"p\": \"True\"}", true)]
    [InlineData("{\"p\": \"false\"}", false)]
    [InlineData("{\"p\": null}", true)]
    [InlineData("{}", true)]
    public void TryGetBoolean_AcceptsBooleansAndTheirStrings(string json, bool expected)
    {
        Assert.True(ParamReader.TryGetBoolean(Params(json), "p", true, out bool value, out _));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("{\"p\": 1}")]
    [InlineData("{\"p\": \"yes\"}")]
    [InlineData("{\"p\": [true]}")]
    public void TryGetBoolean_OtherValues_AreRefused(string json)
    {
        Assert.False(ParamReader.TryGetBoolean(Params(json), "p", true, out _, out string error));
        Assert.Equal("param 'p' must be true or false", error);
    }

    [Theory]
    [InlineData("{\"p\": 300}", 300)]
    [InlineData("{\"p\": \"300\"}", 300)]
    [InlineData("{}", 512)]
    public void TryGetInt32_AcceptsIntegersAndNumericStrings(string json, int expected)
    {
        Assert.True(ParamReader.TryGetInt32(Params(json), "p", 512, 16, 4096, out int value, out _));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("{\"p\": 3.5}")]
    [InlineData("{\"p\": 8}")]
    [InlineData("{\"p\": 5000}")]
    [InlineData("{\"p\": true}")]
    public void TryGetInt32_OutOfRangeOrNotInteger_IsRefusedWithTheRange(string json)
    {
        Assert.False(ParamReader.TryGetInt32(Params(json), "p", 512, 16, 4096, out int value, out string error));
        Assert.Equal(512, value);
        Assert.Equal("param 'p' must be an integer from 16 to 4096", error);
    }

    [Fact]
    public void TryGetBoolean_NoParams_GivesTheDefault()
    {
        Assert.True(ParamReader.TryGetBoolean(null, "p", false, out bool value, out _));
        Assert.False(value);
    }
}
