namespace MedServe.Imaging.Tests;

/// <summary>
/// The MedImageInsight image standardisation (CONTRACTS §2) run end to end, compared with the same steps in
/// Pillow 9.4: <c>resize((512, 512), BICUBIC).convert("RGB")</c>, <c>save(JPEG, quality=75)</c>, reopen,
/// <c>resize((480, 480), BICUBIC)</c>. Checksums are zlib.crc32 and the sample sum of Pillow's result.
/// During development the same comparison on PNG (RGB, L, RGBA, LA, palette) and JPEG (colour, gray) photos
/// of 700×530 showed no differing sample.
/// </summary>
public sealed class PipelineTests
{
    [Theory]
    [InlineData(PixelFormat.Rgba8, 300, 200, 0xdfa982d6u, 88179362L)]
    [InlineData(PixelFormat.Gray8, 97, 640, 0xc331013du, 89083671L)]
    public void Standardise_PatternImage_MatchesPillowBitForBit(PixelFormat format, int width, int height, uint crc, long sum)
    {
        PixelBuffer resized = PillowResampler.Resize(Patterns.Create(format, width, height), 512, 512, ResampleFilter.Bicubic);
        byte[] jpeg = JpegEncoder.Encode(ImageConverter.ToRgb(resized), 75);
        PixelBuffer reloaded = ImageDecoder.Decode(jpeg, ImageDecodeOptions.Default).Pixels;
        PixelBuffer result = PillowResampler.Resize(reloaded, 480, 480, ResampleFilter.Bicubic);

        long actualSum = 0;
        foreach (byte b in result.Data)
        {
            actualSum += b;
        }

        Assert.Equal(PixelFormat.Rgb8, result.Format);
        Assert.Equal(sum, actualSum);
        Assert.Equal(crc, Crc32.Compute(result.Data));
    }
}
