using MedServe.Models.MedImageParse.Detection;

namespace MedServe.Models.Tests.MedImageParse.Detection;

public sealed class MaskStatisticsTests
{
    // The float32 whose product with 255f is exactly 128f (0x3F008081 = 0.5019608f), and the one below it,
    // whose product is 127.99999f.
    private static readonly float ExactlyAt128 = BitConverter.Int32BitsToSingle(0x3F008081);
    private static readonly float JustBelow128 = BitConverter.Int32BitsToSingle(0x3F008080);

    [Fact]
    public void Compute_MixedMask_AveragesOverPixelsAtOrAbove128()
    {
        // probability × 255 = [255, 191.25, 127.5, 63.75]; pixels 0 and 1 reach 128.
        // mask mean = (255 + 191.25) / 2 = 223.125 → / 256 = 0.87158203125
        // R = (10 + 50) / 2 = 30 → 0.1171875; G = (20 + 60) / 2 = 40 → 0.15625; B = (30 + 70) / 2 = 50 → 0.1953125
        float[] probability = [1f, 0.75f, 0.5f, 0.25f];
        byte[] rgb = [10, 20, 30, 50, 60, 70, 200, 210, 220, 250, 251, 252];

        MaskStatistics statistics = MaskStatistics.Compute(probability, rgb);

        Assert.Equal(new MaskStatistics(0.87158203125, 0.1171875, 0.15625, 0.1953125), statistics);
        Assert.False(statistics.IsEmpty);
    }

    [Fact]
    public void Compute_MaskValueExactly128_IsSelected()
    {
        // 0.5019608f × 255 = 128 exactly: selected (≥ 128). The pixel at 127.99999 is not.
        // mask mean = 128 / 256 = 0.5; colours are those of pixel 0 alone: 64, 128, 192 → 0.25, 0.5, 0.75.
        float[] probability = [ExactlyAt128, JustBelow128];
        byte[] rgb = [64, 128, 192, 255, 255, 255];

        MaskStatistics statistics = MaskStatistics.Compute(probability, rgb);

        Assert.Equal(new MaskStatistics(0.5, 0.25, 0.5, 0.75), statistics);
    }

    public static TheoryData<float[]> MasksBelow128 => new()
    {
        // Every value ≤ 127: the reference's max(mask) ≤ 127 branch.
        new[] { 0f, 0.25f, 0.49f },
        // Largest value 127.5, then 127.99999: above 127 but nothing reaches 128 (the reference averages
        // an empty selection there).
        new[] { 0.5f, 0.1f, 0f },
        new[] { 0f, 0f, JustBelow128 },
    };

    [Theory]
    [MemberData(nameof(MasksBelow128))]
    public void Compute_NoValueReaches128_IsAllZero(float[] probability)
    {
        byte[] rgb = [1, 2, 3, 4, 5, 6, 7, 8, 9];

        MaskStatistics statistics = MaskStatistics.Compute(probability, rgb);

        Assert.Equal(default, statistics);
        Assert.True(statistics.IsEmpty);
    }

    [Fact]
    public void Compute_FullMegapixelMask_IsExact()
    {
        // 1024 × 1024 pixels of probability 1 (mask 255) over a constant colour (100, 150, 200):
        // 255/256 = 0.99609375, 100/256 = 0.390625, 150/256 = 0.5859375, 200/256 = 0.78125.
        const int Pixels = 1024 * 1024;
        float[] probability = new float[Pixels];
        Array.Fill(probability, 1f);
        byte[] rgb = new byte[Pixels * 3];
        for (int i = 0; i < Pixels; i++)
        {
            rgb[i * 3] = 100;
            rgb[(i * 3) + 1] = 150;
            rgb[(i * 3) + 2] = 200;
        }

        Assert.Equal(new MaskStatistics(0.99609375, 0.390625, 0.5859375, 0.78125), MaskStatistics.Compute(probability, rgb));
    }

    [Fact]
    public void Indexer_Statistics_AreInParameterOrder()
    {
        var statistics = new MaskStatistics(0.1, 0.2, 0.3, 0.4);

        Assert.Equal([0.1, 0.2, 0.3, 0.4], [statistics[0], statistics[1], statistics[2], statistics[3]]);
        Assert.Throws<ArgumentOutOfRangeException>(() => statistics[4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => statistics[-1]);
    }

    [Fact]
    public void Compute_ImageOfWrongLength_Throws()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => MaskStatistics.Compute([1f, 1f], new byte[5]));

        Assert.StartsWith("The image has 5 bytes; a mask of 2 pixels needs 6 (RGB).", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_NoPixels_Throws()
    {
        Assert.Throws<ArgumentException>(() => MaskStatistics.Compute([], []));
    }
}
