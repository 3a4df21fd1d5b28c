namespace MedServe.Imaging.Overlays;

/// <summary>
/// A built-in 5×7 bitmap font of the digits 0–9, so a legend can still number its entries when no font
/// file is installed.
/// </summary>
internal static class DigitGlyphs
{
    public const int GlyphWidth = 5;
    public const int GlyphHeight = 7;

    private const int Advance = GlyphWidth + 1;

    // Seven rows of five columns per digit, '#' set.
    private static readonly string[][] Glyphs =
    [
        [".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."],
        ["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."],
        [".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"],
        ["#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."],
        ["...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."],
        ["#####", "#....", "####.", "....#", "....#", "#...#", ".###."],
        ["..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."],
        ["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."],
        [".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."],
        [".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."],
    ];

    /// <summary>Whether pixel (<paramref name="column"/>, <paramref name="row"/>) of a digit's glyph is set.</summary>
    public static bool IsSet(char digit, int column, int row) => Glyphs[digit - '0'][row][column] == '#';

    /// <summary>The width in pixels of <paramref name="digits"/> drawn at <paramref name="scale"/>.</summary>
    public static int Width(string digits, int scale) => digits.Length == 0 ? 0 : ((digits.Length * Advance) - 1) * scale;

    /// <summary>Draws the digits with their top-left corner at (<paramref name="left"/>, <paramref name="top"/>), clipped to the image.</summary>
    public static void Draw(PixelBuffer target, int left, int top, string digits, int scale, OverlayColor color)
    {
        for (int d = 0; d < digits.Length; d++)
        {
            if (digits[d] is < '0' or > '9')
            {
                throw new ArgumentException($"'{digits}' holds a character other than 0-9.", nameof(digits));
            }

            for (int row = 0; row < GlyphHeight; row++)
            {
                for (int column = 0; column < GlyphWidth; column++)
                {
                    if (IsSet(digits[d], column, row))
                    {
                        int x = left + (((d * Advance) + column) * scale);
                        RgbPainter.Fill(target, x, top + (row * scale), scale, scale, color);
                    }
                }
            }
        }
    }
}
