using MedServe.Imaging.Overlays;

namespace MedServe.Imaging.Tests.Overlays;

public sealed class OverlayPaletteTests
{
    [Fact]
    public void Colors_AtLeastSixteen_AllDifferent()
    {
        Assert.True(OverlayPalette.Colors.Count >= 16, $"{OverlayPalette.Colors.Count} colours");
        Assert.Equal(OverlayPalette.Colors.Count, OverlayPalette.Colors.Distinct().Count());
    }

    [Fact]
    public void Colors_NoGrey_SoNoneVanishesOnAGreyImage()
    {
        Assert.DoesNotContain(OverlayPalette.Colors, c => c.R == c.G && c.G == c.B);
    }

    [Fact]
    public void ForIndex_PastTheEnd_RepeatsFromTheStart()
    {
        int count = OverlayPalette.Colors.Count;

        Assert.Equal(OverlayPalette.Colors[0], OverlayPalette.ForIndex(count));
        Assert.Equal(OverlayPalette.Colors[3], OverlayPalette.ForIndex((2 * count) + 3));
        Assert.Equal(new OverlayColor(0xE6, 0x19, 0x4B), OverlayPalette.ForIndex(0));
    }

    [Fact]
    public void ForIndex_Negative_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OverlayPalette.ForIndex(-1));
    }

    [Fact]
    public void ToString_IsHashHex()
    {
        Assert.Equal("#E6194B", OverlayPalette.ForIndex(0).ToString());
    }
}
