namespace MedServe.Imaging.Overlays;

/// <summary>
/// The fixed colours overlays give to masks and boxes, in order: item <c>i</c> (0-based) is drawn in
/// <c>Colors[i % Colors.Count]</c>, so a mask keeps its colour from one render to the next.
/// </summary>
/// <remarks>
/// Sasha Trubetskoy's "20 simple, distinct colours" in their published order, without grey, white and
/// black, which vanish on the grey images medical overlays are drawn on. The first nine are the most
/// distinct; the hosted MedImageParse service allows 16 prompts a row, so the default limit never repeats
/// a colour.
/// </remarks>
public static class OverlayPalette
{
    private static readonly OverlayColor[] Palette =
    [
        new(0xE6, 0x19, 0x4B), // red
        new(0x3C, 0xB4, 0x4B), // green
        new(0xFF, 0xE1, 0x19), // yellow
        new(0x43, 0x63, 0xD8), // blue
        new(0xF5, 0x82, 0x31), // orange
        new(0x91, 0x1E, 0xB4), // purple
        new(0x42, 0xD4, 0xF4), // cyan
        new(0xF0, 0x32, 0xE6), // magenta
        new(0xBF, 0xEF, 0x45), // lime
        new(0xFA, 0xBE, 0xD4), // pink
        new(0x46, 0x99, 0x90), // teal
        new(0xDC, 0xBE, 0xFF), // lavender
        new(0x9A, 0x63, 0x24), // brown
        new(0xFF, 0xFA, 0xC8), // beige
        new(0x80, 0x00, 0x00), // maroon
        new(0xAA, 0xFF, 0xC3), // mint
        new(0x80, 0x80, 0x00), // olive
        new(0xFF, 0xD8, 0xB1), // apricot
        new(0x00, 0x00, 0x75), // navy
    ];

    /// <summary>The 19 colours, in the order items receive them.</summary>
    public static IReadOnlyList<OverlayColor> Colors => Palette;

    /// <summary>The colour of item <paramref name="index"/>; the palette repeats after <see cref="Colors"/>.Count items.</summary>
    /// <param name="index">The item's 0-based position (mask index, box number − 1).</param>
    /// <returns>A palette colour.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public static OverlayColor ForIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return Palette[index % Palette.Length];
    }
}
