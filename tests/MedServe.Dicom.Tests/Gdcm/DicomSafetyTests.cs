using MedServe.Dicom.Worker;

namespace MedServe.Dicom.Tests.Gdcm;

/// <summary>Truncated, corrupted, random and hostile input: a result every time, never a crash or hang.</summary>
public sealed class DicomSafetyTests
{
    private static readonly string[] Files =
        ["CT_small.dcm", "MR_small_RLE.dcm", "MR_small_jp2klossless.dcm", "JPEG-LL.dcm", "MR_small_jpeg_ls_lossless.dcm", "SC_rgb_jpeg_dcmtk.dcm", "image_dfl.dcm"];

    [Fact]
    public async Task DecodeAsync_TruncatedAndCorruptedCopies_AnswerWithinTheLimit()
    {
        using var decoder = new DicomDecoder(new DicomDecoderOptions { PoolSize = 2, DecodeTimeout = TimeSpan.FromSeconds(10) });
        var random = new Random(5);
        int answered = 0;
        foreach (string name in Files)
        {
            byte[] original = TestDecoders.SharedFile(name);
            var variants = new List<byte[]>();
            foreach (double cut in new[] { 0.05, 0.2, 0.5, 0.9, 0.99 })
            {
                variants.Add(original[..(int)(original.Length * cut)]);
            }

            foreach (double at in new[] { 0.1, 0.25, 0.6, 0.8, 0.95 })
            {
                byte[] flipped = (byte[])original.Clone();
                int start = (int)(flipped.Length * at);
                for (int i = start; i < Math.Min(flipped.Length, start + 16); i++)
                {
                    flipped[i] ^= (byte)random.Next(1, 256);
                }

                variants.Add(flipped);
            }

            foreach (byte[] variant in variants)
            {
                DicomDecodeResult result = await decoder.DecodeAsync(variant, 0, DicomDecodeLimits.Default, TestContext.Current.CancellationToken);
                Assert.True(result.IsSuccess || !string.IsNullOrEmpty(result.Error));
                answered++;
            }
        }

        Assert.Equal(Files.Length * 10, answered);

        // The pool still decodes a good file afterwards.
        DicomDecodeResult good = await decoder.DecodeAsync(TestDecoders.SharedFile("CT_small.dcm"), 0, DicomDecodeLimits.Default, TestContext.Current.CancellationToken);
        Assert.True(good.IsSuccess, good.Error);
    }

    [Fact]
    public async Task DecodeAsync_RandomBytes_Refuses()
    {
        TestDecoders.SkipWithoutGdcm();
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);

        DicomDecodeResult result = await TestDecoders.Shared.DecodeAsync(bytes, 0, DicomDecodeLimits.Default, TestContext.Current.CancellationToken);

        Assert.False(result.IsSuccess);
    }

    [Fact]
    public async Task DecodeAsync_Empty_RefusesWithoutAWorker()
    {
        DicomDecodeResult result = await TestDecoders.Shared.DecodeAsync(ReadOnlyMemory<byte>.Empty, 0, DicomDecodeLimits.Default, TestContext.Current.CancellationToken);

        Assert.False(result.IsSuccess);
    }

    [Fact]
    public async Task DecodeAsync_TimeLimitExceeded_AnswersTimedOutAndRecovers()
    {
        byte[] large = TestDecoders.SharedFile("RG3_J2KI.dcm");
        using var decoder = new DicomDecoder(new DicomDecoderOptions { PoolSize = 1, DecodeTimeout = TimeSpan.FromMilliseconds(1) });

        DicomDecodeResult result = await decoder.DecodeAsync(large, 0, DicomDecodeLimits.Default, TestContext.Current.CancellationToken);

        Assert.Equal(DicomDecoder.TimedOutMessage, result.Error);
    }
}
