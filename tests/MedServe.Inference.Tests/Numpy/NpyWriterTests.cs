using System.Buffers.Binary;
using System.Text;
using MedServe.Inference.Numpy;

namespace MedServe.Inference.Tests.Numpy;

public sealed class NpyWriterTests
{
    [Fact]
    public void WriteFloat32_WritesNumpyHeaderAndLittleEndianData()
    {
        using var stream = new MemoryStream();
        NpyWriter.WriteFloat32(stream, [1f, -2.5f, 3f, 0.25f, 5f, 6f], [1, 2, 3]);
        byte[] bytes = stream.ToArray();
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, bytes[..8]);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64);
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3), }", header, StringComparison.Ordinal);
        Assert.EndsWith("\n", header, StringComparison.Ordinal);
        Assert.Equal(10 + headerLength + (6 * 4), bytes.Length);
        Assert.Equal(-2.5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(10 + headerLength + 4)));
    }

    [Fact]
    public void WriteFloat32_OneDimension_UsesPythonTupleSyntax()
    {
        using var stream = new MemoryStream();
        NpyWriter.WriteFloat32(stream, [1f, 2f], [2]);
        Assert.Contains("'shape': (2,)", Encoding.ASCII.GetString(stream.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteFloat32_ShapeAndCountDisagree_Throws()
    {
        using var stream = new MemoryStream();
        Assert.Throws<ArgumentException>(() => NpyWriter.WriteFloat32(stream, [1f, 2f, 3f], [2, 2]));
    }
}
