namespace MedServe.Imaging.Tests;

public sealed class AlphaMathTests
{
    [Fact]
    public void Premultiply_HalfAlpha_RoundsLikeMulDiv255()
    {
        // 200·128/255 = 100.39 → 100; 255·128/255 = 128.
        byte[] pixel = [200, 255, 0, 128];

        AlphaMath.Premultiply(pixel, 4);

        Assert.Equal(new byte[] { 100, 128, 0, 128 }, pixel);
    }

    [Fact]
    public void Unpremultiply_HalfAlpha_TruncatesDivision()
    {
        // 255·100/128 = 199.2 → 199; 255·128/128 = 255.
        byte[] pixel = [100, 128, 0, 128];

        AlphaMath.Unpremultiply(pixel, 4);

        Assert.Equal(new byte[] { 199, 255, 0, 128 }, pixel);
    }

    [Fact]
    public void RoundTrip_Pattern_MatchesPillowRgbaConversions()
    {
        // Pillow 9.4: zlib.crc32(pattern("RGBA", 16, 16).convert("RGBa").convert("RGBA").tobytes()) = 761654418.
        PixelBuffer image = Patterns.Create(PixelFormat.Rgba8, 16, 16);

        AlphaMath.Premultiply(image.Data, 4);
        AlphaMath.Unpremultiply(image.Data, 4);

        Assert.Equal(761654418u, Crc32.Compute(image.Data));
    }
}
