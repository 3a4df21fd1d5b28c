using SkiaSharp;

namespace MedServe.Imaging.Overlays;

/// <summary>
/// A TrueType or OpenType font file for legend text. Loaded from a path because the Skia build MedServe
/// ships has no fontconfig and so knows no system fonts by name.
/// </summary>
/// <remarks>Not thread-safe: use one instance per drawing thread.</remarks>
public sealed class OverlayFont : IDisposable
{
    private static readonly string[] Known =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", // Debian, Ubuntu: fonts-dejavu-core
        "/usr/share/fonts/dejavu/DejaVuSans.ttf", // Fedora, Alpine
        "/usr/share/fonts/TTF/DejaVuSans.ttf", // Arch
        "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf", // Fedora (newer)
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/System/Library/Fonts/Supplemental/Arial.ttf", // macOS
        @"C:\Windows\Fonts\arial.ttf",
    ];

    private readonly Dictionary<int, SKFont> _sizes = [];

    private OverlayFont(SKTypeface typeface, string path)
    {
        Typeface = typeface;
        Path = path;
    }

    /// <summary>The files <see cref="FindInstalled"/> tries, in order.</summary>
    public static IReadOnlyList<string> KnownPaths => Known;

    /// <summary>The file the font was loaded from.</summary>
    public string Path { get; }

    internal SKTypeface Typeface { get; }

    /// <summary>Loads a font file.</summary>
    /// <param name="path">A .ttf, .otf or .ttc file (the first face is used).</param>
    /// <returns>The font, or <see langword="null"/> when the file is missing or is not a font Skia can read.</returns>
    public static OverlayFont? TryLoad(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            return null;
        }

        var typeface = SKTypeface.FromFile(path);
        return typeface is null ? null : new OverlayFont(typeface, path);
    }

    /// <summary>The first of <see cref="KnownPaths"/> that loads.</summary>
    /// <returns>The font, or <see langword="null"/> when none is installed.</returns>
    public static OverlayFont? FindInstalled()
    {
        foreach (string path in Known)
        {
            if (TryLoad(path) is { } font)
            {
                return font;
            }
        }

        return null;
    }

    /// <summary>Releases the native typeface and its sized fonts.</summary>
    public void Dispose()
    {
        foreach (var font in _sizes.Values)
        {
            font.Dispose();
        }

        _sizes.Clear();
        Typeface.Dispose();
    }

    /// <summary>The font at a text size in pixels (created once per size), antialiased with subpixel positioning.</summary>
    internal SKFont At(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (!_sizes.TryGetValue(size, out var font))
        {
            font = new SKFont(Typeface, size) { Edging = SKFontEdging.Antialias, Subpixel = true };
            _sizes[size] = font;
        }

        return font;
    }
}
