using MedServe.Imaging.Overlays;

namespace MedServe.Imaging.Tests.Overlays;

/// <summary>Reads the pixels of the RGB images overlays return, as tuples that compare and print well.</summary>
internal static class RgbPixels
{
    public static (int R, int G, int B) At(PixelBuffer image, int x, int y)
    {
        Assert.Equal(PixelFormat.Rgb8, image.Format);
        int i = ((y * image.Width) + x) * 3;
        return (image.Data[i], image.Data[i + 1], image.Data[i + 2]);
    }

    public static (int R, int G, int B) Of(OverlayColor color) => (color.R, color.G, color.B);
}
