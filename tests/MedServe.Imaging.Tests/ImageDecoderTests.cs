using System.Diagnostics;

namespace MedServe.Imaging.Tests;

public sealed class ImageDecoderTests
{
    private static readonly ImageDecodeOptions Options = ImageDecodeOptions.Default;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Decode_Rgb8Png_ReturnsStoredSamples(bool interlaced)
    {
        int[] samples = Samples(13 * 9 * 3, 8, seed: 1);
        DecodedImage image = ImageDecoder.Decode(TestPng.Encode(13, 9, 8, 2, samples, interlaced: interlaced), Options);

        Assert.Equal(ImageFormat.Png, image.SourceFormat);
        Assert.Equal(PixelFormat.Rgb8, image.Pixels.Format);
        Assert.False(image.IsPalette);
        Assert.Equal(8, image.SourceBitDepth);
        Assert.Equal(ToBytes(samples), image.Pixels.Data);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Decode_Rgba8Png_KeepsUnpremultipliedSamples(bool interlaced)
    {
        int[] samples = Samples(11 * 7 * 4, 8, seed: 2);
        samples[3] = 0;   // fully transparent pixel keeps its colour
        samples[7] = 1;
        DecodedImage image = ImageDecoder.Decode(TestPng.Encode(11, 7, 8, 6, samples, interlaced: interlaced), Options);

        Assert.Equal(PixelFormat.Rgba8, image.Pixels.Format);
        Assert.Equal(ToBytes(samples), image.Pixels.Data);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Decode_GrayAlpha8Png_StaysGrayAlpha(bool interlaced)
    {
        int[] samples = Samples(9 * 10 * 2, 8, seed: 3);
        DecodedImage image = ImageDecoder.Decode(TestPng.Encode(9, 10, 8, 4, samples, interlaced: interlaced), Options);

        Assert.Equal(PixelFormat.GrayAlpha8, image.Pixels.Format);
        Assert.Equal(ToBytes(samples), image.Pixels.Data);
    }

    [Fact]
    public void Decode_ImageDataSplitAcrossIdatChunks_ReturnsStoredSamples()
    {
        int[] samples = Samples(20 * 20 * 3, 8, seed: 8);
        byte[] png = TestPng.Encode(20, 20, 8, 2, samples, idatChunkSize: 7);

        DecodedImage image = ImageDecoder.Decode(png, Options);

        Assert.Equal(ToBytes(samples), image.Pixels.Data);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    public void Decode_InterlacedImageInTinyIdatChunks_EqualsOneChunk(int chunkSize)
    {
        // The zlib stream is read in place across chunk boundaries (IdatStream), pass after pass.
        int[] samples = Samples(33 * 17 * 4, 8, seed: 9);
        byte[] split = TestPng.Encode(33, 17, 8, 6, samples, interlaced: true, idatChunkSize: chunkSize);
        byte[] whole = TestPng.Encode(33, 17, 8, 6, samples, interlaced: true);

        Assert.Equal(ToBytes(samples), ImageDecoder.Decode(split, Options).Pixels.Data);
        Assert.Equal(ImageDecoder.Decode(whole, Options).Pixels.Data, ImageDecoder.Decode(split, Options).Pixels.Data);
    }

    [Fact]
    public void Options_NonPositiveLimit_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDecodeOptions { MaxPixels = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDecodeOptions { MaxSide = -1 });
        Assert.Equal(178_956_970, ImageDecodeOptions.Default.MaxPixels);
    }

    [Fact]
    public void Decode_Gray8Png_StaysGray()
    {
        int[] samples = Samples(17 * 3, 8, seed: 4);
        DecodedImage image = ImageDecoder.Decode(TestPng.Encode(17, 3, 8, 0, samples), Options);

        Assert.Equal(PixelFormat.Gray8, image.Pixels.Format);
        Assert.Equal(ToBytes(samples), image.Pixels.Data);
    }

    [Theory]
    [InlineData(1, 255)]
    [InlineData(2, 85)]
    [InlineData(4, 17)]
    public void Decode_LowBitGrayPng_ScalesMaximumTo255(int depth, int factor)
    {
        // Odd width so rows end mid-byte; interlaced so passes do too.
        int[] samples = Samples(13 * 5, depth, seed: depth);
        foreach (bool interlaced in new[] { false, true })
        {
            DecodedImage image = ImageDecoder.Decode(TestPng.Encode(13, 5, depth, 0, samples, interlaced: interlaced), Options);

            Assert.Equal(PixelFormat.Gray8, image.Pixels.Format);
            Assert.Equal(depth, image.SourceBitDepth);
            Assert.Equal(samples.Select(s => (byte)(s * factor)).ToArray(), image.Pixels.Data);
        }
    }

    [Fact]
    public void Decode_Gray16Png_RoundsToNearestOf257()
    {
        // round(v / 257): 128/257 = 0.498 -> 0, 129/257 = 0.502 -> 1, 385/257 = 1.498 -> 1,
        // 32896/257 = 128, 65406/257 = 254.498 -> 254, 65407/257 = 254.502 -> 255, 65535 -> 255.
        int[] samples = [0, 128, 129, 385, 32896, 65406, 65407, 65535];
        DecodedImage image = ImageDecoder.Decode(TestPng.Encode(8, 1, 16, 0, samples), Options);

        Assert.Equal(PixelFormat.Gray8, image.Pixels.Format);
        Assert.Equal(16, image.SourceBitDepth);
        Assert.Equal(new byte[] { 0, 0, 1, 1, 128, 254, 255, 255 }, image.Pixels.Data);
    }

    [Theory]
    [InlineData(2, PixelFormat.Rgb8)]
    [InlineData(4, PixelFormat.GrayAlpha8)]
    [InlineData(6, PixelFormat.Rgba8)]
    public void Decode_SixteenBitColourPng_RoundsEverySample(int colorType, PixelFormat expected)
    {
        int channels = PixelBuffer.ChannelCount(expected);
        int[] samples = Samples(5 * 4 * channels, 16, seed: colorType);
        foreach (bool interlaced in new[] { false, true })
        {
            DecodedImage image = ImageDecoder.Decode(TestPng.Encode(5, 4, 16, colorType, samples, interlaced: interlaced), Options);

            Assert.Equal(expected, image.Pixels.Format);
            Assert.Equal(samples.Select(v => (byte)Math.Round(v / 257.0)).ToArray(), image.Pixels.Data);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Decode_PalettePng_ExpandsToRgbAndFlagsPalette(int depth)
    {
        int entries = 1 << Math.Min(depth, 4);
        byte[] palette = ToBytes(Samples(entries * 3, 8, seed: 10 + depth));
        int[] indices = Samples(9 * 6, depth, seed: depth).Select(i => i % entries).ToArray();
        DecodedImage image = ImageDecoder.Decode(TestPng.Encode(9, 6, depth, 3, indices, palette), Options);

        Assert.True(image.IsPalette);
        Assert.Equal(PixelFormat.Rgb8, image.Pixels.Format);
        Assert.Equal(indices.SelectMany(i => palette.Skip(i * 3).Take(3)).ToArray(), image.Pixels.Data);
    }

    [Fact]
    public void Decode_PalettePngWithTrns_ExpandsToRgbaWithOpaqueDefault()
    {
        byte[] palette = [10, 20, 30, 40, 50, 60, 70, 80, 90];
        byte[] alpha = [0, 128]; // entry 2 has no tRNS value: opaque
        DecodedImage image = ImageDecoder.Decode(TestPng.Encode(3, 1, 8, 3, [2, 1, 0], palette, alpha), Options);

        Assert.True(image.IsPalette);
        Assert.Equal(PixelFormat.Rgba8, image.Pixels.Format);
        Assert.Equal(new byte[] { 70, 80, 90, 255, 40, 50, 60, 128, 10, 20, 30, 0 }, image.Pixels.Data);
    }

    [Fact]
    public void Decode_PaletteIndexBeyondPlte_ReadsPillowsGrayRamp()
    {
        // Verified with Pillow 9.4: unfilled palette slots convert to (i, i, i).
        DecodedImage image = ImageDecoder.Decode(TestPng.Encode(2, 1, 8, 3, [0, 7], [1, 2, 3]), Options);

        Assert.Equal(new byte[] { 1, 2, 3, 7, 7, 7 }, image.Pixels.Data);
    }

    [Fact]
    public void Decode_GrayPngWithColourKey_StaysGrayWithoutAlpha()
    {
        // Pillow keeps a gray/RGB tRNS colour key as metadata; Skia would turn it into an alpha channel.
        DecodedImage image = ImageDecoder.Decode(TestPng.Encode(3, 1, 8, 0, [5, 6, 7], transparency: [0, 6]), Options);

        Assert.Equal(PixelFormat.Gray8, image.Pixels.Format);
        Assert.Equal(new byte[] { 5, 6, 7 }, image.Pixels.Data);
    }

    [Fact]
    public void Decode_HugeDimensionsInHeader_ThrowsBeforeAllocating()
    {
        byte[] png = TestPng.Assemble(TestPng.Header(100_000, 100_000, 8, 2), [1, 2, 3]);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(png, Options));
        watch.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("image is 100000 × 100000 pixels; the limit is 178956970 pixels", e.Message);
        Assert.True(allocated < 1_000_000, $"allocated {allocated} bytes");
        Assert.True(watch.ElapsedMilliseconds < 1_000, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Decode_SideOverLimit_Throws()
    {
        byte[] png = TestPng.Encode(20, 1, 8, 0, new int[20]);

        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(png, new ImageDecodeOptions { MaxSide = 16 }));

        Assert.Equal("image is 20 × 1 pixels; the limit is 16 pixels per side", e.Message);
    }

    [Fact]
    public void Decode_PixelCountAtLimit_Succeeds()
    {
        byte[] png = TestPng.Encode(4, 4, 8, 0, new int[16]);

        DecodedImage image = ImageDecoder.Decode(png, new ImageDecodeOptions { MaxPixels = 16 });

        Assert.Equal(4, image.Pixels.Width);
    }

    [Fact]
    public void Decode_TruncatedPng_ThrowsCorrupt()
    {
        byte[] png = TestPng.Encode(32, 32, 8, 2, Samples(32 * 32 * 3, 8, seed: 5));

        foreach (int keep in new[] { 20, 40, png.Length / 2, png.Length - 13 })
        {
            var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(png.AsSpan(0, keep), Options));
            Assert.Equal("truncated or corrupt PNG data", e.Message);
        }
    }

    [Fact]
    public void Decode_ShortImageData_ThrowsCorrupt()
    {
        // Valid zlib stream holding fewer rows than IHDR promises.
        byte[] partial = TestPng.Encode(4, 2, 8, 0, new int[8]);
        byte[] idat = ExtractIdat(TestPng.Encode(4, 1, 8, 0, new int[4]));
        byte[] png = TestPng.Assemble(TestPng.Header(4, 2, 8, 0), idat);
        Assert.NotEqual(partial, png);

        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(png, Options));
        Assert.Equal("truncated or corrupt PNG data", e.Message);
    }

    [Fact]
    public void Decode_BadChunkCrc_ThrowsCorrupt()
    {
        byte[] png = TestPng.Encode(4, 4, 8, 0, new int[16]);
        png[29] ^= 0xFF; // last byte of the IHDR CRC

        Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(png, Options));
    }

    [Fact]
    public void Decode_Empty_ThrowsUnknownFormat()
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode([], Options));
        Assert.Equal("not a PNG or JPEG image", e.Message);
    }

    [Fact]
    public void Decode_RandomBytes_ThrowsUnknownFormat()
    {
        var bytes = new byte[4096];
        new Random(42).NextBytes(bytes);
        bytes[0] = 0x42;

        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(bytes, Options));
        Assert.Equal("not a PNG or JPEG image", e.Message);
    }

    [Fact]
    public void Decode_JpegMagicThenGarbage_ThrowsCorruptJpeg()
    {
        var bytes = new byte[512];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;

        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(bytes, Options));
        Assert.Equal("truncated or corrupt JPEG data", e.Message);
    }

    [Fact]
    public void Decode_TruncatedJpeg_ThrowsCorruptJpeg()
    {
        byte[] jpeg = JpegEncoder.Encode(Patterns.Create(PixelFormat.Rgb8, 64, 64), 90);

        Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(jpeg.AsSpan(0, jpeg.Length / 2), Options));
    }

    [Fact]
    public void Decode_ProgressiveJpeg_MatchesPillow()
    {
        // A 4×4 progressive JPEG written by Pillow 9.4 (quality 90, from samples (x·60 + c·40 + y·10) mod 256);
        // the expected pixels are Pillow's own decode of these bytes.
        byte[] jpeg = Convert.FromBase64String(
            "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wgARCAAEAAQDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAb/xAAVAQEBAAAAAAAAAAAAAAAAAAAEB//aAAwDAQACEAMQAAABuhGD/wD/xAAXEAADAQAAAAAAAAAAAAAAAAACBAYV/9oACAEBAAEFApVYMP8A/8QAFxEAAwEAAAAAAAAAAAAAAAAAAAEDMv/aAAgBAwEBPwGWEf/EABgRAAIDAAAAAAAAAAAAAAAAAAADBTVx/9oACAECAQE/AZ+0fp//xAAXEAADAQAAAAAAAAAAAAAAAAAABCFB/9oACAEBAAY/Alph/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPyEZ/9oADAMBAAIAAwAAABD7/8QAFREBAQAAAAAAAAAAAAAAAAAAAKH/2gAIAQMBAT8Qif/EABcRAAMBAAAAAAAAAAAAAAAAAAABobH/2gAIAQIBAT8Qt4j/xAAWEAADAAAAAAAAAAAAAAAAAAAAQfD/2gAIAQEAAT8QuyP/2Q==");
        byte[] expected =
        [
            0, 41, 81, 59, 101, 141, 138, 174, 87, 169, 205, 118, 8, 50, 90, 68, 110, 150, 147, 183, 96, 178, 214, 127,
            20, 62, 102, 80, 122, 162, 159, 195, 108, 190, 226, 139, 28, 70, 110, 88, 130, 170, 167, 203, 116, 198, 234, 147,
        ];

        DecodedImage image = ImageDecoder.Decode(jpeg, Options);

        Assert.Equal(ImageFormat.Jpeg, image.SourceFormat);
        Assert.Equal(PixelFormat.Rgb8, image.Pixels.Format);
        Assert.Equal(expected, image.Pixels.Data);
    }

    [Fact]
    public void Decode_GrayJpeg_StaysGray()
    {
        byte[] jpeg = JpegEncoder.Encode(Patterns.Create(PixelFormat.Gray8, 16, 8), 90);

        DecodedImage image = ImageDecoder.Decode(jpeg, Options);

        Assert.Equal(PixelFormat.Gray8, image.Pixels.Format);
        Assert.Equal(16, image.Pixels.Width);
        Assert.Equal(8, image.Pixels.Height);
    }

    [Fact]
    public void Sniff_PngAndJpegMagic_Recognised()
    {
        Assert.Equal(ImageFormat.Png, ImageDecoder.Sniff(TestPng.Encode(1, 1, 8, 0, [0])));
        Assert.Equal(ImageFormat.Jpeg, ImageDecoder.Sniff([0xFF, 0xD8, 0xFF, 0xE0]));
        Assert.Null(ImageDecoder.Sniff("GIF89a"u8));
    }

    private static int[] Samples(int count, int depth, int seed)
    {
        var random = new Random(seed);
        var samples = new int[count];
        for (int i = 0; i < count; i++)
        {
            samples[i] = random.Next(1 << depth);
        }

        if (count > 1)
        {
            samples[0] = 0;
            samples[1] = (1 << depth) - 1;
        }

        return samples;
    }

    private static byte[] ToBytes(int[] samples) => samples.Select(s => (byte)s).ToArray();

    private static byte[] ExtractIdat(byte[] png)
    {
        int pos = 8;
        while (true)
        {
            int length = (png[pos] << 24) | (png[pos + 1] << 16) | (png[pos + 2] << 8) | png[pos + 3];
            if (png[pos + 4] == 'I' && png[pos + 5] == 'D')
            {
                return png.AsSpan(pos + 8, length).ToArray();
            }

            pos += 12 + length;
        }
    }
}
