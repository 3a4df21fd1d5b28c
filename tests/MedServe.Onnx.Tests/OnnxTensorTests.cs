namespace MedServe.Onnx.Tests;

public sealed class OnnxTensorTests
{
    [Fact]
    public void FromFloat_Values_StoresLittleEndianBytes()
    {
        OnnxTensor tensor = OnnxTensor.FromFloat("t", [1f, -2f], [2]);

        Assert.Equal([0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0], tensor.RawData.ToArray());
        Assert.Equal(OnnxElementType.Float, tensor.ElementType);
        Assert.Equal([2L], tensor.Dims);
    }

    [Fact]
    public void FromInt64_Values_StoresEightBytesEachLittleEndian()
    {
        OnnxTensor tensor = OnnxTensor.FromInt64("t", [0x0102030405060708L], []);

        Assert.Equal([0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01], tensor.RawData.ToArray());
        Assert.Empty(tensor.Dims);
    }

    [Fact]
    public void FromInt32_ElementCountDoesNotMatchDims_Throws()
    {
        Assert.Throws<ArgumentException>(() => OnnxTensor.FromInt32("t", [1, 2, 3], [2, 2]));
    }

    [Fact]
    public void OnnxDim_ImplicitConversions_ProduceFixedAndSymbolicDims()
    {
        OnnxDim[] shape = ["batch", 3];

        Assert.Equal("batch", shape[0].Param);
        Assert.Null(shape[0].Value);
        Assert.Equal(3L, shape[1].Value);
        Assert.Null(shape[1].Param);
        Assert.Equal("?", default(OnnxDim).ToString());
    }
}
