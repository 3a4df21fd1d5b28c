using MedServe.Onnx.Synthetic;

namespace MedServe.Onnx.Tests.Synthetic;

public sealed class SyntheticComputeHeavyTests
{
    private const int Size = SyntheticMedImageInsight.DefaultImageSize;
    private const int Dim = SyntheticMedImageInsight.DefaultEmbeddingDim;

    [Fact]
    public void FlopsPerImage_CountedFromTheGraphsShapes_IsTheClaimedNinetyEightMegaflop()
    {
        OnnxModel model = SyntheticComputeHeavyEncoder.Build().ToModel();
        var dims = model.Initializers.ToDictionary(t => t.Name, t => t.Dims.ToArray());

        // Shape inference for one image, from the input through every node in order.
        var shapes = new Dictionary<string, long[]> { [SyntheticMedImageInsight.PixelValues] = [1, 3, Size, Size] };
        foreach (var (name, d) in dims)
        {
            shapes[name] = d;
        }

        long flops = 0;
        var opCounts = new Dictionary<string, int>();
        foreach (OnnxNode node in model.Nodes)
        {
            opCounts[node.OpType] = opCounts.GetValueOrDefault(node.OpType) + 1;
            long[] x = shapes[node.Inputs[0]];
            long[] y;
            switch (node.OpType)
            {
                case "Conv":
                {
                    long[] w = shapes[node.Inputs[1]];
                    long stride = Attribute(node, "strides")[0];
                    long pad = Attribute(node, "pads")[0];
                    Assert.Equal(x[1], w[1]);
                    long side = ((x[2] + (2 * pad) - w[2]) / stride) + 1;
                    y = [x[0], w[0], side, side];
                    flops += 2 * w[0] * w[1] * w[2] * w[3] * side * side;
                    break;
                }

                case "MatMul":
                {
                    long[] w = shapes[node.Inputs[1]];
                    Assert.Equal(x[1], w[0]);
                    y = [x[0], w[1]];
                    flops += 2 * x[0] * w[0] * w[1];
                    break;
                }

                case "AveragePool":
                {
                    long k = Attribute(node, "kernel_shape")[0];
                    y = [x[0], x[1], x[2] / k, x[3] / k];
                    break;
                }

                case "Flatten":
                    y = [x[0], x[1] * x[2] * x[3]];
                    break;
                case "Relu" or "Add" or "Identity":
                    y = x;
                    break;
                default:
                    throw new InvalidOperationException("unexpected operator " + node.OpType);
            }

            shapes[node.Outputs[0]] = y;
        }

        Assert.Equal([1L, Dim], shapes[model.Nodes[^1].Outputs[0]]);
        Assert.Equal(3, opCounts["Conv"]);
        Assert.Equal(4, opCounts["MatMul"]);
        Assert.Equal(SyntheticComputeHeavy.FlopsPerImage, flops);
        Assert.InRange(flops, 90_000_000, 110_000_000);
    }

    [Fact]
    public void ImageEncoderBytes_TwoImages_OrtGivesDistinctFiniteEmbeddingsOfTheRealShape()
    {
        var random = new Random(7);
        float[] pixels = new float[2 * 3 * Size * Size];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (float)((random.NextDouble() * 4) - 2);
        }

        OrtOutput<float> result = OrtTestRunner.Run<float>(
            SyntheticComputeHeavy.ImageEncoderBytes(),
            new OrtInput(SyntheticMedImageInsight.PixelValues, pixels, [2, 3, Size, Size]));

        Assert.Equal([2L, Dim], result.Shape);
        Assert.All(result.Data, v => Assert.True(float.IsFinite(v)));
        float[] first = result.Data[..Dim];
        float[] second = result.Data[Dim..];
        Assert.NotEqual(first, second);

        // He-scaled weights keep the signal alive through seven layers: the embedding is not just the last bias.
        double norm = Math.Sqrt(first.Sum(v => (double)v * v));
        Assert.InRange(norm, 0.1, 1e4);
    }

    [Fact]
    public void ImageEncoderSignature_IsTheDemoEncodersSignature()
    {
        var heavy = SyntheticComputeHeavy.ImageEncoderSignature();
        var demo = SyntheticMedImageInsight.ImageEncoderSignature();
        Assert.Equal(SyntheticMedImageInsight.PixelValues, Assert.Single(heavy.Inputs).Name);
        Assert.Equal(SyntheticMedImageInsight.ImageEmbeds, Assert.Single(heavy.Outputs).Name);
        Assert.Equal(demo.Inputs[0].Shape, heavy.Inputs[0].Shape);
        Assert.Equal(demo.Outputs[0].Shape, heavy.Outputs[0].Shape);
        Assert.Equal("batch", heavy.Inputs[0].Shape[0].Param);
        Assert.Equal(480, heavy.Inputs[0].Shape[3].Value);
    }

    [Fact]
    public void FlopsPerText_CountedFromTheGraphsShapes_IsTheClaimedHundredMegaflop()
    {
        OnnxModel model = SyntheticComputeHeavy.TextEncoderBuilder().ToModel();
        var dims = model.Initializers.ToDictionary(t => t.Name, t => t.Dims.ToArray());
        var shapes = new Dictionary<string, long[]>
        {
            [SyntheticMedImageInsight.InputIds] = [1, SyntheticMedImageInsight.ContextLength],
            [SyntheticMedImageInsight.AttentionMask] = [1, SyntheticMedImageInsight.ContextLength],
        };
        foreach (var (name, d) in dims)
        {
            shapes[name] = d;
        }

        long flops = 0;
        int matMuls = 0;
        foreach (OnnxNode node in model.Nodes)
        {
            long[] x = shapes[node.Inputs[0]];
            if (node.OpType == "MatMul")
            {
                long[] w = shapes[node.Inputs[1]];
                Assert.Equal(x[1], w[0]);
                flops += 2 * x[0] * w[0] * w[1];
                matMuls++;
                shapes[node.Outputs[0]] = [x[0], w[1]];
            }
            else
            {
                Assert.Contains(node.OpType, new[] { "Mul", "Cast", "Tanh", "Identity" });
                shapes[node.Outputs[0]] = x;
            }
        }

        Assert.Equal([1L, Dim], shapes[model.Nodes[^1].Outputs[0]]);
        Assert.Equal(SyntheticComputeHeavy.TextMatMuls + 1, matMuls);
        Assert.Equal(SyntheticComputeHeavy.FlopsPerText, flops);
        Assert.InRange(flops, 90_000_000, 110_000_000);
    }

    [Fact]
    public void TextEncoderBytes_TwoRows_OrtGivesDistinctFiniteEmbeddingsOfTheRealShape()
    {
        const int Context = SyntheticMedImageInsight.ContextLength;
        long[] ids = new long[2 * Context];
        long[] mask = new long[2 * Context];
        (ids[0], ids[1], ids[Context], ids[Context + 1], ids[Context + 2]) = (49406, 320, 49406, 1125, 49407);
        (mask[0], mask[1], mask[Context], mask[Context + 1], mask[Context + 2]) = (1, 1, 1, 1, 1);

        OrtOutput<float> result = OrtTestRunner.Run<float>(
            SyntheticComputeHeavy.TextEncoderBytes(),
            new OrtInput(SyntheticMedImageInsight.InputIds, ids, [2, Context]),
            new OrtInput(SyntheticMedImageInsight.AttentionMask, mask, [2, Context]),
            new OrtInput(SyntheticMedImageInsight.EosIndex, new long[] { 1, 2 }, [2]));

        Assert.Equal([2L, Dim], result.Shape);
        Assert.All(result.Data, v => Assert.True(float.IsFinite(v)));
        Assert.NotEqual(result.Data[..Dim], result.Data[Dim..]);
    }

    private static IReadOnlyList<long> Attribute(OnnxNode node, string name) => node.Attributes.Single(a => a.Name == name).IntValues;
}
