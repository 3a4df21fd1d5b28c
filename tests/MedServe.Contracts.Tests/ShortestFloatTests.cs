using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MedServe.Contracts.Tests;

/// <summary>
/// <see cref="ShortestFloat"/> must give exactly the runtime's text for every finite float; here against
/// <c>float.TryFormat</c> on structured cases and a few million random bit patterns. (Every one of the
/// 2,139,095,040 finite positive floats was compared once by hand, see docs/benchmarks.md.)
/// </summary>
public sealed class ShortestFloatTests
{
    private static string Ours(float value)
    {
        Span<byte> buffer = stackalloc byte[ShortestFloat.MaxBytes];
        int length = ShortestFloat.Format(value, buffer);
        return Encoding.ASCII.GetString(buffer[..length]);
    }

    private static string Runtimes(float value) => value.ToString(CultureInfo.InvariantCulture);

    public static TheoryData<float> Edges()
    {
        var data = new TheoryData<float>
        {
            0f, -0f, 1f, -1f, 0.1f, 0.2f, 0.3f, 1f / 3, 2f / 3, float.MaxValue, -float.MaxValue, float.Epsilon,
            BitConverter.UInt32BitsToSingle(0x007FFFFF), BitConverter.UInt32BitsToSingle(0x00800000), // largest subnormal, smallest normal
            0.0001f, 0.00012345f, 0.00001f, 1.5e-5f, 9.999999e-5f, 100_000_000f, 999_999_940f, 1e9f, 123_456_789f, 16_777_216f, 16_777_217f,
            3.4028235e38f, 1.17549435e-38f, 7.038531e-26f, 8.589973e9f, 33_554_450f,
        };
        for (int e = -45; e <= 38; e++)
        {
            data.Add(float.Parse("1e" + e.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
            float nines = float.Parse("9.999999e" + e.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (float.IsFinite(nines))
            {
                data.Add(nines);
            }
        }

        for (int p = -149; p <= 127; p++)
        {
            data.Add(MathF.ScaleB(1f, p));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Edges))]
    public void Format_StructuredCases_AreTheRuntimesText(float value) => Assert.Equal(Runtimes(value), Ours(value));

    [Fact]
    public void Format_RandomBitPatterns_AreTheRuntimesText()
    {
        var random = new Random(20261201);
        Span<byte> ours = stackalloc byte[ShortestFloat.MaxBytes];
        Span<byte> theirs = stackalloc byte[32];
        int checkedCount = 0;
        for (int i = 0; i < 3_000_000; i++)
        {
            float value = BitConverter.UInt32BitsToSingle((uint)random.NextInt64(0, 1L << 32));
            if (!float.IsFinite(value))
            {
                continue;
            }

            int length = ShortestFloat.Format(value, ours);
            Assert.True(value.TryFormat(theirs, out int expected, default, CultureInfo.InvariantCulture));
            if (!ours[..length].SequenceEqual(theirs[..expected]))
            {
                Assert.Fail($"0x{BitConverter.SingleToUInt32Bits(value):X8}: {Encoding.ASCII.GetString(ours[..length])} but the runtime writes {Encoding.ASCII.GetString(theirs[..expected])}");
            }

            checkedCount++;
        }

        Assert.InRange(checkedCount, 2_900_000, 3_000_000);
    }

    [Fact]
    public void Format_EmbeddingLikeValues_ReadBackExactly()
    {
        var random = new Random(5);
        for (int i = 0; i < 200_000; i++)
        {
            float value = (float)((random.NextDouble() - 0.5) * 0.2);
            Assert.Equal(value, float.Parse(Ours(value), CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Format_NotFinite_Throws(float value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Ours(value));
        Assert.Equal("value", ex.ParamName);
    }

    [Fact]
    public void Converter_WritesTheBytesTheDefaultWriterWrites()
    {
        var random = new Random(9);
        float[][] images = [[.. Enumerable.Range(0, 1024).Select(_ => (float)(random.NextDouble() - 0.5))], [1e-7f, -0f, 3e9f, 0.5f]];
        float[] text = [.. Enumerable.Range(0, 4096).Select(_ => BitConverter.UInt32BitsToSingle((uint)random.NextInt64(0, 1L << 32))).Where(float.IsFinite)];
        MedImageInsightResult[] rows = [new() { ImageFeatures = images, ScalingFactor = 4.5 }, new() { TextFeatures = text }, new() { TextFeatures = [] }];

        string json = JsonSerializer.Serialize(rows, ContractsJsonContext.Default.MedImageInsightResultArray);

        // What Utf8JsonWriter writes number by number.
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            writer.WriteStartObject();
            writer.WriteStartArray("image_features");
            foreach (float[] image in images)
            {
                WriteArray(writer, image);
            }

            writer.WriteEndArray();
            writer.WriteNumber("scaling_factor", 4.5);
            writer.WriteEndObject();
            writer.WriteStartObject();
            writer.WritePropertyName("text_features");
            WriteArray(writer, text);
            writer.WriteEndObject();
            writer.WriteStartObject();
            writer.WritePropertyName("text_features");
            WriteArray(writer, []);
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        Assert.Equal(Encoding.UTF8.GetString(stream.ToArray()), json);
        var back = JsonSerializer.Deserialize(json, ContractsJsonContext.Default.MedImageInsightResultArray)!;
        Assert.Equal(images[0], back[0].ImageFeatures![0]);
        Assert.Equal(text, back[1].TextFeatures);
        Assert.Empty(back[2].TextFeatures!);
    }

    [Fact]
    public void Converter_NaN_IsRefusedAsTheDefaultWriterRefusesIt()
    {
        MedImageInsightResult[] rows = [new() { TextFeatures = [0.5f, float.NaN] }];
        Assert.Throws<ArgumentException>(() => JsonSerializer.Serialize(rows, ContractsJsonContext.Default.MedImageInsightResultArray));
    }

    [Theory]
    [InlineData("""{"text_features": "0.5"}""")]
    [InlineData("""{"text_features": [0.5, "x"]}""")]
    public void Converter_NotAnArrayOfNumbers_IsAJsonException(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, ContractsJsonContext.Default.MedImageInsightResult));

    private static void WriteArray(Utf8JsonWriter writer, float[] values)
    {
        writer.WriteStartArray();
        foreach (float v in values)
        {
            writer.WriteNumberValue(v);
        }

        writer.WriteEndArray();
    }
}
