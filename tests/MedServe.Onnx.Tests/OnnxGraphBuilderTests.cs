using System.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MedServe.Onnx.Tests;

public sealed class OnnxGraphBuilderTests
{
    [Fact]
    public void ToModelBytes_AnyGraph_StartsWithIrVersionThenProducerName()
    {
        var g = new OnnxGraphBuilder("tiny");
        OnnxValue x = g.AddInput("x", OnnxElementType.Float, [1]);
        g.AddOutput(x, "x", OnnxElementType.Float, [1]);

        byte[] bytes = g.ToModelBytes();

        byte[] expectedPrefix = [0x08, OnnxGraphBuilder.IrVersion, 0x12, 0x08, .. Encoding.UTF8.GetBytes("MedServe")];
        Assert.Equal(expectedPrefix, bytes[..expectedPrefix.Length]);
    }

    [Fact]
    public void AddNode_AddOfTwoSymbolicInputs_OrtReturnsElementwiseSum()
    {
        var g = new OnnxGraphBuilder("add");
        OnnxValue a = g.AddInput("a", OnnxElementType.Float, ["n", 3]);
        OnnxValue b = g.AddInput("b", OnnxElementType.Float, ["n", 3]);
        g.AddOutput(g.AddNode("Add", [a, b]), "sum", OnnxElementType.Float, ["n", 3]);

        OrtOutput<float> result = OrtTestRunner.Run<float>(
            g.ToModelBytes(),
            new OrtInput("a", new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]),
            new OrtInput("b", new float[] { 10, 20, 30, 40, 50, 60 }, [2, 3]));

        Assert.Equal([11f, 22, 33, 44, 55, 66], result.Data);
        Assert.Equal([2L, 3], result.Shape);
    }

    [Fact]
    public void AddInitializer_MatMulWithFloatWeights_OrtReturnsProduct()
    {
        var g = new OnnxGraphBuilder("matmul");
        OnnxValue x = g.AddInput("x", OnnxElementType.Float, ["batch", 2]);
        OnnxValue w = g.AddInitializer("w", [1f, 2, 3, 4, 5, 6], [2, 3]);
        g.AddOutput(g.AddNode("MatMul", [x, w]), "y", OnnxElementType.Float, ["batch", 3]);

        OrtOutput<float> result = OrtTestRunner.Run<float>(
            g.ToModelBytes(),
            new OrtInput("x", new float[] { 1, 1, 2, -1 }, [2, 2]));

        // [1,1]·W = [5,7,9]; [2,-1]·W = [-2,-1,0].
        Assert.Equal([5f, 7, 9, -2, -1, 0], result.Data);
        Assert.Equal([2L, 3], result.Shape);
    }

    [Fact]
    public void AddInitializer_Int64Values_OrtReadsLittleEndianRawData()
    {
        var g = new OnnxGraphBuilder("add_int64");
        OnnxValue x = g.AddInput("x", OnnxElementType.Int64, [3]);
        OnnxValue c = g.AddInitializer("c", [1L << 40, -5, 7], [3]);
        g.AddOutput(g.AddNode("Add", [x, c]), "y", OnnxElementType.Int64, [3]);

        OrtOutput<long> result = OrtTestRunner.Run<long>(g.ToModelBytes(), new OrtInput("x", new long[] { 1, 2, 3 }, [3]));

        Assert.Equal([(1L << 40) + 1, -3, 10], result.Data);
    }

    [Fact]
    public void AddInitializer_Int32Values_OrtReadsLittleEndianRawData()
    {
        var g = new OnnxGraphBuilder("add_int32");
        OnnxValue x = g.AddInput("x", OnnxElementType.Int32, [2]);
        OnnxValue c = g.AddInitializer("c", [70000, -1], [2]);
        g.AddOutput(g.AddNode("Add", [x, c]), "y", OnnxElementType.Int32, [2]);

        OrtOutput<int> result = OrtTestRunner.Run<int>(g.ToModelBytes(), new OrtInput("x", new[] { 5, 5 }, [2]));

        Assert.Equal([70005, 4], result.Data);
    }

    [Theory]
    [InlineData(1L, new float[] { 2, 6, 6, 14 })]
    [InlineData(0L, new float[] { 6, 4, 14, 8 })]
    public void AddNode_GemmWithFloatAndIntAttributes_OrtHonoursBoth(long transB, float[] expected)
    {
        var g = new OnnxGraphBuilder("gemm");
        OnnxValue a = g.AddInput("a", OnnxElementType.Float, [2, 2]);
        OnnxValue b = g.AddInitializer("b", [1f, 0, 1, 1], [2, 2]);
        OnnxValue y = g.AddNode("Gemm", [a, b], OnnxAttribute.Float("alpha", 2f), OnnxAttribute.Int("transB", transB));
        g.AddOutput(y, "y", OnnxElementType.Float, [2, 2]);

        OrtOutput<float> result = OrtTestRunner.Run<float>(g.ToModelBytes(), new OrtInput("a", new float[] { 1, 2, 3, 4 }, [2, 2]));

        Assert.Equal(expected, result.Data);
    }

    [Fact]
    public void AddNode_EinsumWithStringAttribute_OrtTransposes()
    {
        var g = new OnnxGraphBuilder("einsum");
        OnnxValue x = g.AddInput("x", OnnxElementType.Float, [2, 3]);
        g.AddOutput(g.AddNode("Einsum", [x], OnnxAttribute.String("equation", "ij->ji")), "y", OnnxElementType.Float, [3, 2]);

        OrtOutput<float> result = OrtTestRunner.Run<float>(g.ToModelBytes(), new OrtInput("x", new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]));

        Assert.Equal([1f, 4, 2, 5, 3, 6], result.Data);
        Assert.Equal([3L, 2], result.Shape);
    }

    [Fact]
    public void AddNode_AveragePoolWithIntsAttributes_OrtAveragesBlocks()
    {
        var g = new OnnxGraphBuilder("pool");
        OnnxValue x = g.AddInput("x", OnnxElementType.Float, [1, 1, 4, 4]);
        OnnxValue y = g.AddNode("AveragePool", [x], OnnxAttribute.Ints("kernel_shape", 2, 2), OnnxAttribute.Ints("strides", 2, 2));
        g.AddOutput(y, "y", OnnxElementType.Float, [1, 1, 2, 2]);

        float[] input = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
        OrtOutput<float> result = OrtTestRunner.Run<float>(g.ToModelBytes(), new OrtInput("x", input, [1, 1, 4, 4]));

        Assert.Equal([2.5f, 4.5f, 10.5f, 12.5f], result.Data);
    }

    [Fact]
    public void AddNode_ConstantWithTensorAttribute_OrtUsesTensorValue()
    {
        var g = new OnnxGraphBuilder("constant");
        OnnxValue x = g.AddInput("x", OnnxElementType.Float, [2]);
        OnnxValue c = g.AddNode("Constant", [], OnnxAttribute.Tensor("value", OnnxTensor.FromFloat("", [10f, 20f], [2])));
        g.AddOutput(g.AddNode("Add", [x, c]), "y", OnnxElementType.Float, [2]);

        OrtOutput<float> result = OrtTestRunner.Run<float>(g.ToModelBytes(), new OrtInput("x", new float[] { 1, 2 }, [2]));

        Assert.Equal([11f, 22f], result.Data);
    }

    [Fact]
    public void AddNode_ConstantWithFloatsAttribute_OrtEmitsList()
    {
        var g = new OnnxGraphBuilder("constant_floats");
        OnnxValue x = g.AddInput("x", OnnxElementType.Float, [3]);
        OnnxValue c = g.AddNode("Constant", [], OnnxAttribute.Floats("value_floats", 0.5f, -1f, 3f));
        g.AddOutput(g.AddNode("Mul", [x, c]), "y", OnnxElementType.Float, [3]);

        OrtOutput<float> result = OrtTestRunner.Run<float>(g.ToModelBytes(), new OrtInput("x", new float[] { 2, 3, 4 }, [3]));

        Assert.Equal([1f, -3f, 12f], result.Data);
    }

    [Fact]
    public void AddNode_ClipWithSkippedOptionalInput_OrtClampsToMaxOnly()
    {
        // Clip's min is optional; an empty name skips it, leaving only max = 2.
        var g = new OnnxGraphBuilder("clip");
        OnnxValue x = g.AddInput("x", OnnxElementType.Float, [3]);
        OnnxValue max = g.AddInitializer("max", [2f], []);
        g.AddOutput(g.AddNode("Clip", [x, new OnnxValue(""), max]), "y", OnnxElementType.Float, [3]);

        OrtOutput<float> result = OrtTestRunner.Run<float>(g.ToModelBytes(), new OrtInput("x", new float[] { -5, 1, 5 }, [3]));

        Assert.Equal([-5f, 1, 2], result.Data);
    }

    [Fact]
    public void ImportOpset_ContribDomainNode_OrtRunsFusedMatMul()
    {
        var g = new OnnxGraphBuilder("contrib");
        g.ImportOpset("com.microsoft", 1);
        OnnxValue a = g.AddInput("a", OnnxElementType.Float, [1, 2]);
        OnnxValue b = g.AddInitializer("b", [1f, 2, 3, 4], [2, 2]);
        OnnxValue y = g.AddNode("FusedMatMul", [a, b], [OnnxAttribute.Float("alpha", 3f)], outputCount: 1, domain: "com.microsoft")[0];
        g.AddOutput(y, "y", OnnxElementType.Float, [1, 2]);

        OrtOutput<float> result = OrtTestRunner.Run<float>(g.ToModelBytes(), new OrtInput("a", new float[] { 1, 1 }, [1, 2]));

        // 3 · [1,1]·[[1,2],[3,4]] = 3 · [4,6].
        Assert.Equal([12f, 18f], result.Data);
    }

    [Fact]
    public void ToModelBytes_DeclaredSignature_OrtReadsBackNamesTypesAndSymbolicDims()
    {
        var g = new OnnxGraphBuilder("image_encoder");
        OnnxValue pixels = g.AddInput("pixel_values", OnnxElementType.Float, ["B", 3, 8, 8]);
        OnnxValue ids = g.AddInput("ids", OnnxElementType.Int64, ["B", default]);
        OnnxValue pooled = g.AddNode("GlobalAveragePool", [pixels]);
        g.AddOutput(g.AddNode("Flatten", [pooled], OnnxAttribute.Int("axis", 1)), "embeds", OnnxElementType.Float, ["B", 3]);
        g.AddOutput(ids, "ids_out", OnnxElementType.Int64, ["B", default]);
        g.SetMetadata("medserve.synthetic", "true");

        using var session = OrtTestRunner.Load(g.ToModelBytes());

        Assert.Equal(["pixel_values", "ids"], session.InputNames);
        Assert.Equal(["embeds", "ids_out"], session.OutputNames);

        NodeMetadata pixelMeta = session.InputMetadata["pixel_values"];
        Assert.Equal(TensorElementType.Float, pixelMeta.ElementDataType);
        Assert.Equal([-1, 3, 8, 8], pixelMeta.Dimensions);
        Assert.Equal("B", pixelMeta.SymbolicDimensions[0]);

        NodeMetadata idsMeta = session.InputMetadata["ids"];
        Assert.Equal(TensorElementType.Int64, idsMeta.ElementDataType);
        Assert.Equal([-1, -1], idsMeta.Dimensions);
        Assert.Equal(["B", ""], idsMeta.SymbolicDimensions);

        NodeMetadata outMeta = session.OutputMetadata["embeds"];
        Assert.Equal(TensorElementType.Float, outMeta.ElementDataType);
        Assert.Equal([-1, 3], outMeta.Dimensions);
        Assert.Equal("B", outMeta.SymbolicDimensions[0]);

        Assert.Equal("MedServe", session.ModelMetadata.ProducerName);
        Assert.Equal("image_encoder", session.ModelMetadata.GraphName);
        Assert.Equal("true", session.ModelMetadata.CustomMetadataMap["medserve.synthetic"]);
    }

    [Fact]
    public void SetMetadata_SameKeyTwice_LastValueWins()
    {
        var g = new OnnxGraphBuilder("meta");
        OnnxValue x = g.AddInput("x", OnnxElementType.Float, [1]);
        g.AddOutput(x, "x", OnnxElementType.Float, [1]);
        g.SetMetadata("k", "first");
        g.SetMetadata("other", "o");
        g.SetMetadata("k", "second");

        using var session = OrtTestRunner.Load(g.ToModelBytes());

        Assert.Equal("second", session.ModelMetadata.CustomMetadataMap["k"]);
        Assert.Equal("o", session.ModelMetadata.CustomMetadataMap["other"]);
    }

    [Fact]
    public void AddOutput_DifferentName_ReturnsRenamedHandleAndSignatureListsIt()
    {
        var g = new OnnxGraphBuilder("rename");
        OnnxValue x = g.AddInput("x", OnnxElementType.Float, [2]);
        OnnxValue doubled = g.AddNode("Add", [x, x]);

        OnnxValue output = g.AddOutput(doubled, "y", OnnxElementType.Float, [2]);

        Assert.Equal("y", output.Name);
        Assert.Equal("y", Assert.Single(g.Signature.Outputs).Name);
        OrtOutput<float> result = OrtTestRunner.Run<float>(g.ToModelBytes(), new OrtInput("x", new float[] { 1.5f, -2 }, [2]));
        Assert.Equal([3f, -4f], result.Data);
    }

    [Fact]
    public void AddInput_DuplicateName_Throws()
    {
        var g = new OnnxGraphBuilder("dup");
        g.AddInput("x", OnnxElementType.Float, [1]);

        Assert.Throws<ArgumentException>(() => g.AddInitializer("x", [1f], [1]));
    }

    [Fact]
    public void AddNode_UndefinedInput_Throws()
    {
        var g = new OnnxGraphBuilder("undefined");
        g.AddInput("x", OnnxElementType.Float, [1]);

        Assert.Throws<ArgumentException>(() => g.AddNode("Relu", [new OnnxValue("nope")]));
    }

    [Fact]
    public void ToModelBytes_NoOutputs_Throws()
    {
        var g = new OnnxGraphBuilder("empty");
        g.AddInput("x", OnnxElementType.Float, [1]);

        Assert.Throws<InvalidOperationException>(() => g.ToModelBytes());
    }

    [Fact]
    public void WriteTo_Path_WritesSameBytesAsToModelBytes()
    {
        var g = new OnnxGraphBuilder("file");
        OnnxValue x = g.AddInput("x", OnnxElementType.Float, [1]);
        g.AddOutput(g.AddNode("Neg", [x]), "y", OnnxElementType.Float, [1]);
        string path = Path.Combine(Path.GetTempPath(), $"medserve-onnx-{Guid.NewGuid():N}.onnx");
        try
        {
            g.WriteTo(path);

            Assert.Equal(g.ToModelBytes(), File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
