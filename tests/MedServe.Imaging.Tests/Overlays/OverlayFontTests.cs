using MedServe.Imaging.Overlays;

namespace MedServe.Imaging.Tests.Overlays;

public sealed class OverlayFontTests : IDisposable
{
    internal const string DejaVu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    internal const string MissingFontReason = "needs DejaVuSans.ttf (Debian package fonts-dejavu-core), which eng/install-deps.sh installs";

    private readonly string _dir = Directory.CreateTempSubdirectory("medserve-font-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TryLoad_MissingFile_IsNull()
    {
        Assert.Null(OverlayFont.TryLoad(Path.Combine(_dir, "none.ttf")));
    }

    [Fact]
    public void TryLoad_FileThatIsNotAFont_IsNull()
    {
        string path = Path.Combine(_dir, "text.ttf");
        File.WriteAllText(path, "not a font");

        Assert.Null(OverlayFont.TryLoad(path));
    }

    [Fact]
    public void TryLoad_DejaVu_RemembersItsPath()
    {
        Assert.SkipUnless(File.Exists(DejaVu), MissingFontReason);

        using var font = OverlayFont.TryLoad(DejaVu);

        Assert.NotNull(font);
        Assert.Equal(DejaVu, font.Path);
    }

    [Fact]
    public void FindInstalled_DebianWithDejaVu_FindsIt()
    {
        Assert.SkipUnless(File.Exists(DejaVu), MissingFontReason);

        using var font = OverlayFont.FindInstalled();

        Assert.Equal(DejaVu, font?.Path);
        Assert.Equal(DejaVu, OverlayFont.KnownPaths[0]);
    }
}
