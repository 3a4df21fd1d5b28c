using System.Globalization;

namespace MedServe.Imaging.Overlays;

/// <summary>
/// The geometry of an image with its legend below it. Everything scales with the image width (text
/// 1/48 of it, at least 12 px), and the output is at least <see cref="MinWidth"/> wide so a tiny image
/// still gets a readable legend (with no entries the output is just the image):
/// <code>
/// ┌──────────────┬─────┐
/// │ image        │ bg  │   ← PanelTop = image height
/// ├──────────────┴─────┤
/// │ ■ 1. first entry … │   ← Padding, then one LineHeight per line
/// │   wrapped line     │
/// │ ■ 2. second entry  │
/// └────────────────────┘
/// </code>
/// </summary>
internal sealed class LegendLayout
{
    public const int MinWidth = 320;
    public const int MinFontSize = 12;

    private LegendLayout(int imageWidth, int imageHeight, bool hasEntries)
    {
        Width = hasEntries ? Math.Max(imageWidth, MinWidth) : imageWidth;
        PanelTop = imageHeight;
        FontSize = FontSizeFor(imageWidth);
        Padding = FontSize / 2;
        LineHeight = FontSize * 3 / 2;
        SwatchSize = FontSize;
        TextLeft = Padding + SwatchSize + Padding;
        DigitScale = Math.Max(2, FontSize / DigitGlyphs.GlyphHeight);
    }

    public int Width { get; }

    public int Height { get; private set; }

    public int PanelTop { get; }

    public int FontSize { get; }

    public int Padding { get; }

    public int LineHeight { get; }

    public int SwatchSize { get; }

    public int TextLeft { get; }

    /// <summary>The scale of the built-in digits when there is no font (7 × scale pixels tall).</summary>
    public int DigitScale { get; }

    public IReadOnlyList<LegendRow> Rows { get; private set; } = [];

    /// <summary>The text size in pixels for an image <paramref name="imageWidth"/> wide.</summary>
    public static int FontSizeFor(int imageWidth) => Math.Max(MinFontSize, imageWidth / 48);

    /// <summary>Lays the entries out below an image.</summary>
    /// <param name="imageWidth">The image width.</param>
    /// <param name="imageHeight">The image height.</param>
    /// <param name="entries">The entries, in order.</param>
    /// <param name="measure">The drawn width of a string at <see cref="FontSizeFor"/>, or <see langword="null"/> without a font (numbers only).</param>
    public static LegendLayout Create(int imageWidth, int imageHeight, IReadOnlyList<LegendEntry> entries, Func<string, float>? measure)
    {
        var layout = new LegendLayout(imageWidth, imageHeight, entries.Count > 0);
        var rows = new List<LegendRow>(entries.Count);
        int top = imageHeight + layout.Padding;
        float textWidth = layout.Width - layout.TextLeft - layout.Padding;
        foreach (var entry in entries)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(entry.Number, nameof(entries));
            string number = entry.Number.ToString(CultureInfo.InvariantCulture);
            IReadOnlyList<string> lines = measure is null
                ? [number]
                : TextWrap.Wrap(TextWrap.Clean($"{number}. {entry.Text}"), textWidth, measure);
            rows.Add(new LegendRow(entry, top, lines));
            top += lines.Count * layout.LineHeight;
        }

        layout.Rows = rows;
        layout.Height = entries.Count == 0 ? imageHeight : top + layout.Padding;
        return layout;
    }

    /// <summary>The top-left corner of an entry's swatch, centred on its first line.</summary>
    public (int Left, int Top) SwatchAt(LegendRow row) => (Padding, row.Top + ((LineHeight - SwatchSize) / 2));

    /// <summary>The top-left corner of an entry's built-in digits, centred on its line.</summary>
    public (int Left, int Top) DigitsAt(LegendRow row) => (TextLeft, row.Top + ((LineHeight - (DigitGlyphs.GlyphHeight * DigitScale)) / 2));
}
