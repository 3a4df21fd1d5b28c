using MedServe.Onnx.Protobuf;

namespace MedServe.Onnx.Tests.Protobuf;

public sealed class ProtoWriterTests
{
    [Theory]
    [InlineData(0UL, new byte[] { 0x00 })]
    [InlineData(1UL, new byte[] { 0x01 })]
    [InlineData(127UL, new byte[] { 0x7F })]
    [InlineData(128UL, new byte[] { 0x80, 0x01 })]
    [InlineData(300UL, new byte[] { 0xAC, 0x02 })]
    [InlineData(16383UL, new byte[] { 0xFF, 0x7F })]
    [InlineData(16384UL, new byte[] { 0x80, 0x80, 0x01 })]
    [InlineData(ulong.MaxValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void WriteVarint_Value_EmitsBase128LittleEndianGroups(ulong value, byte[] expected)
    {
        var writer = new ProtoWriter();

        writer.WriteVarint(value);

        Assert.Equal(expected, writer.ToArray());
        Assert.Equal(expected.Length, ProtoWriter.VarintLength(value));
    }

    [Fact]
    public void WriteInt64_Positive_EmitsTagThenVarint()
    {
        var writer = new ProtoWriter();

        writer.WriteInt64(1, 150);

        Assert.Equal([0x08, 0x96, 0x01], writer.ToArray());
    }

    [Fact]
    public void WriteInt64_MinusOne_EmitsTenByteTwosComplementVarint()
    {
        var writer = new ProtoWriter();

        writer.WriteInt64(1, -1);

        Assert.Equal([0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], writer.ToArray());
    }

    [Fact]
    public void WriteInt32_Negative_SignExtendsToTenBytes()
    {
        var writer = new ProtoWriter();

        writer.WriteInt32(2, -2);

        Assert.Equal([0x10, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], writer.ToArray());
    }

    [Fact]
    public void WriteTag_FieldAbove15_TakesTwoBytes()
    {
        var writer = new ProtoWriter();

        writer.WriteTag(20, WireType.Varint);

        // 20 << 3 = 160 = 0b1010_0000 → 0xA0 0x01.
        Assert.Equal([0xA0, 0x01], writer.ToArray());
    }

    [Fact]
    public void WriteTag_FieldZero_Throws()
    {
        var writer = new ProtoWriter();

        Assert.Throws<ArgumentOutOfRangeException>(() => writer.WriteTag(0, WireType.Varint));
    }

    [Fact]
    public void WriteFloat_Value_EmitsFixed32LittleEndian()
    {
        var writer = new ProtoWriter();

        writer.WriteFloat(2, 1.5f);

        Assert.Equal([0x15, 0x00, 0x00, 0xC0, 0x3F], writer.ToArray());
    }

    [Fact]
    public void WriteString_Ascii_EmitsLengthPrefixedUtf8()
    {
        var writer = new ProtoWriter();

        writer.WriteString(2, "testing");

        Assert.Equal([0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6E, 0x67], writer.ToArray());
    }

    [Fact]
    public void WriteString_NonAscii_CountsUtf8BytesNotChars()
    {
        var writer = new ProtoWriter();

        writer.WriteString(1, "é");

        Assert.Equal([0x0A, 0x02, 0xC3, 0xA9], writer.ToArray());
    }

    [Fact]
    public void WriteMessage_Nested_EmitsLengthDelimitedCopy()
    {
        var inner = new ProtoWriter();
        inner.WriteInt64(1, 150);
        var outer = new ProtoWriter();

        outer.WriteMessage(3, inner);

        Assert.Equal([0x1A, 0x03, 0x08, 0x96, 0x01], outer.ToArray());
    }

    [Fact]
    public void WritePackedInt64_Values_EmitsOneTagTotalLengthAndVarints()
    {
        var writer = new ProtoWriter();

        writer.WritePackedInt64(4, [3, 270, 86942]);

        Assert.Equal([0x22, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05], writer.ToArray());
    }

    [Fact]
    public void WritePackedInt64_Negative_CountsTenBytesInLength()
    {
        var writer = new ProtoWriter();

        writer.WritePackedInt64(1, [-1, 1]);

        Assert.Equal([0x0A, 0x0B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x01], writer.ToArray());
    }

    [Fact]
    public void WritePackedFloat_Values_EmitsFourBytesEach()
    {
        var writer = new ProtoWriter();

        writer.WritePackedFloat(7, [1f, -2f]);

        Assert.Equal([0x3A, 0x08, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0], writer.ToArray());
    }

    [Fact]
    public void WritePacked_Empty_WritesNothing()
    {
        var writer = new ProtoWriter();
        writer.WriteVarint(5);

        writer.WritePackedInt64(1, []);
        writer.WritePackedFloat(2, []);

        Assert.Equal([0x05], writer.ToArray());
    }
}
