using MedServe.Models.MedImageParse;

namespace MedServe.Models.Tests.MedImageParse;

public sealed class MedImageParsePromptsTests
{
    [Theory]
    [InlineData("left lung & right lung & COVID-19 infection", new[] { "left lung", "right lung", "COVID-19 infection" })]
    [InlineData("  liver  ", new[] { "liver" })]
    [InlineData("a&b", new[] { "a", "b" })]
    public void TryParse_Prompts_AreSplitOnAmpersandAndTrimmed(string text, string[] expected)
    {
        Assert.True(MedImageParsePrompts.TryParse(text, 0, "text", 16, out string[] prompts, out _));
        Assert.Equal(expected, prompts);
    }

    [Theory]
    [InlineData("left lung &  & tumor", 16, "row 3, column 'text': prompt 2 of 3 is empty (prompts are separated by '&')")]
    [InlineData("liver &", 16, "row 3, column 'text': prompt 2 of 2 is empty (prompts are separated by '&')")]
    [InlineData("   ", 16, "row 3, column 'text': a prompt is required (e.g. \"left lung & COVID-19 infection\")")]
    [InlineData(null, 16, "row 3, column 'text': a prompt is required (e.g. \"left lung & COVID-19 infection\")")]
    [InlineData("a&b&c", 2, "row 3, column 'text': 3 prompts; the limit is 2 per row")]
    public void TryParse_BadPrompts_AreRefusedNamingRowAndColumn(string? text, int maxPrompts, string expected)
    {
        Assert.False(MedImageParsePrompts.TryParse(text, 3, "text", maxPrompts, out string[] prompts, out string error));
        Assert.Empty(prompts);
        Assert.Equal(expected, error);
    }
}
