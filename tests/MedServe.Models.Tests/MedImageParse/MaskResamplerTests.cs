using MedServe.Models.MedImageParse;

namespace MedServe.Models.Tests.MedImageParse;

public sealed class MaskResamplerTests
{
    private static float Sigmoid(double v) => (float)(1.0 / (1.0 + Math.Exp(-v)));

    [Theory]
    // 2 → 4 (PyTorch, align_corners=False): src = (dst + 0.5)·0.5 − 0.5 = −0.25 → 0, 0.25, 0.75, 1.25
    [InlineData(0, 2, 4, 0, 1, 1f, 0f)]
    [InlineData(1, 2, 4, 0, 1, 0.75f, 0.25f)]
    [InlineData(2, 2, 4, 0, 1, 0.25f, 0.75f)]
    [InlineData(3, 2, 4, 1, 1, 0.75f, 0.25f)]
    // 4 → 2: src = (dst + 0.5)·2 − 0.5 = 0.5, 2.5
    [InlineData(0, 4, 2, 0, 1, 0.5f, 0.5f)]
    [InlineData(1, 4, 2, 2, 3, 0.5f, 0.5f)]
    // same size: the identity
    [InlineData(5, 8, 8, 5, 6, 1f, 0f)]
    public void Source_PyTorchBilinear_IndicesAndWeights(int destination, int input, int output, int i0, int i1, float w0, float w1)
    {
        var (a, b, u, v) = MaskResampler.Source(destination, input, output);
        Assert.Equal((i0, i1), (a, b));
        Assert.Equal(w0, u, 6);
        Assert.Equal(w1, v, 6);
    }

    [Fact]
    public void Resample_2x2To4x4_HandWorkedValuesThroughSigmoid()
    {
        // logits [[0, 4], [8, 12]]; pixel (y 1, x 2): rows at x 2 (λ 0.25/0.75 → 0.25·0 + 0.75·4 = 3; 0.25·8 + 0.75·12 = 11),
        // then y 1 (0.75/0.25): 0.75·3 + 0.25·11 = 5. Pixel (3, 0): x 0 → 0 and 8; y 3 → row 1 only: 8.
        float[] probability = new float[16];
        MaskResampler.Resample([0f, 4f, 8f, 12f], 2, 2, 4, 4, 0, 0, 4, 4, probability);

        Assert.Equal(Sigmoid(5), probability[(1 * 4) + 2], 6);
        Assert.Equal(Sigmoid(8), probability[(3 * 4) + 0], 6);
        Assert.Equal(Sigmoid(0), probability[0], 6);
        Assert.Equal(Sigmoid(12), probability[15], 6);
    }

    [Fact]
    public void Resample_NonSquareTarget_IsNotTransposed()
    {
        // Logits rise along x only; a 3-high, 6-wide output must rise along its rows, not its columns.
        float[] logits = [-4f, 4f, -4f, 4f];
        float[] probability = new float[18];
        MaskResampler.Resample(logits, 2, 2, 3, 6, 0, 0, 3, 6, probability);

        for (int y = 0; y < 3; y++)
        {
            Assert.True(probability[(y * 6) + 5] > 0.98f);
            Assert.True(probability[y * 6] < 0.02f);
            Assert.Equal(probability[5], probability[(y * 6) + 5], 6);
        }
    }

    [Fact]
    public void Resample_Window_EqualsTheCropOfTheFullResize()
    {
        var random = new Random(3);
        float[] logits = [.. Enumerable.Range(0, 5 * 7).Select(_ => (float)((random.NextDouble() * 16) - 8))];
        float[] full = new float[11 * 13];
        MaskResampler.Resample(logits, 5, 7, 11, 13, 0, 0, 11, 13, full);
        float[] window = new float[4 * 6];
        MaskResampler.Resample(logits, 5, 7, 11, 13, 3, 5, 4, 6, window);

        for (int y = 0; y < 4; y++)
        {
            for (int x = 0; x < 6; x++)
            {
                Assert.Equal(full[((y + 3) * 13) + x + 5], window[(y * 6) + x]);
            }
        }
    }

    [Fact]
    public void Resample_WindowOutsideTheTarget_Throws()
    {
        float[] probability = new float[4];
        Assert.Throws<ArgumentOutOfRangeException>(() => MaskResampler.Resample([0f, 0f, 0f, 0f], 2, 2, 4, 4, 3, 0, 2, 2, probability));
    }

    [Fact]
    public void ToBytes_TruncatesLikeNumpyAsType()
    {
        byte[] bytes = new byte[6];
        MaskResampler.ToBytes([0f, 0.5f, 0.999f, 1f, 0.0039f, 0.50196f], bytes);
        // 127.5 → 127, 254.745 → 254, 0.99 → 0, 128.0 → 127 or 128 by float rounding of 0.50196·255 = 127.9998.
        Assert.Equal([0, 127, 254, 255, 0, 127], bytes);
    }

    [Fact]
    public void ToBytes_LongerThanOneChunk_ConvertsEveryValue()
    {
        float[] probability = [.. Enumerable.Range(0, 200_000).Select(i => (i % 256) / 255f)];
        byte[] bytes = new byte[probability.Length];
        MaskResampler.ToBytes(probability, bytes);
        Assert.Equal(255, bytes[255]);
        Assert.Equal(199_999 % 256, bytes[199_999]);
    }
}
