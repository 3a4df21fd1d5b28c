using MedServe.Cli.Rendering;
using MedServe.Imaging.Overlays;

namespace MedServe.Cli.Tests.Rendering;

public sealed class MedImageParseLegendTests
{
    [Theory]
    [InlineData(0.41, "liver — liver [p=0.41]")]
    [InlineData(0.05, "liver — liver [p=0.05]")]
    [InlineData(0.123456, "liver — liver [p=0.12]")]
    [InlineData(0.0000123, "liver — liver [p=1.2E-05]")]
    [InlineData(1.0, "liver — liver [p=1]")]
    public void Text_PValue_HasTwoSignificantDigits(double p, string expected)
    {
        Assert.Equal(expected, MedImageParseLegend.Text("liver", "liver", p, hasPValues: true));
    }

    [Fact]
    public void Text_NoPValues_IsPromptAndCategory()
    {
        Assert.Equal("left lung — lung", MedImageParseLegend.Text("left lung", "lung", null, hasPValues: false));
    }

    [Fact]
    public void Text_NullPValue_SaysNotAvailable()
    {
        Assert.Equal("left lung — lung [p=n/a]", MedImageParseLegend.Text("left lung", "lung", null, hasPValues: true));
    }

    [Fact]
    public void Entries_ThreeMasks_AreNumberedFromOneInPaletteOrder()
    {
        var row = new MedImageParseRow(new MaskStack(3, 1, 1, [0, 0, 0]), ["liver", "tumor", "other"], null);

        var entries = MedImageParseLegend.Entries(row, ["a", "b", "c"]);

        Assert.Equal([1, 2, 3], entries.Select(e => e.Number));
        Assert.Equal(["a — liver", "b — tumor", "c — other"], entries.Select(e => e.Text));
        Assert.Equal(OverlayPalette.Colors.Take(3).Cast<OverlayColor?>(), entries.Select(e => e.Color));
    }
}
