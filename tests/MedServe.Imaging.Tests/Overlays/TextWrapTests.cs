using MedServe.Imaging.Overlays;

namespace MedServe.Imaging.Tests.Overlays;

public sealed class TextWrapTests
{
    private static float TenPerChar(string s) => s.Length * 10f;

    [Fact]
    public void Wrap_WordsPastTheWidth_BreakAtSpaces()
    {
        var lines = TextWrap.Wrap("the heart size is normal", 100, TenPerChar);

        Assert.Equal(["the heart", "size is", "normal"], lines);
    }

    [Fact]
    public void Wrap_WordWiderThanALine_IsCutIntoPieces()
    {
        var lines = TextWrap.Wrap("ab pneumomediastinum", 50, TenPerChar);

        Assert.Equal(["ab pn", "eumom", "edias", "tinum"], lines);
    }

    [Fact]
    public void Wrap_TooWideWordAfterAFullLine_StartsOnTheNextLine()
    {
        var lines = TextWrap.Wrap("abcd pneumothorax", 50, TenPerChar);

        Assert.Equal(["abcd", "pneum", "othor", "ax"], lines);
    }

    [Fact]
    public void Wrap_ShortText_IsOneLine()
    {
        Assert.Equal(["1. liver"], TextWrap.Wrap("1. liver", 1000, TenPerChar));
    }

    [Fact]
    public void Wrap_Empty_IsOneEmptyLine()
    {
        Assert.Equal([""], TextWrap.Wrap("", 100, TenPerChar));
    }

    [Fact]
    public void Wrap_NarrowerThanOneCharacter_StillPlacesEveryCharacter()
    {
        Assert.Equal(["a", "b", "c"], TextWrap.Wrap("abc", 1, TenPerChar));
    }

    [Fact]
    public void Clean_LineBreaksAndTabs_BecomeSpaces()
    {
        Assert.Equal("left lung  right lung", TextWrap.Clean("left lung\r\nright\tlung"));
    }
}
