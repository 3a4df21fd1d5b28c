using MedServe.Models.Demo;
using MedServe.Onnx;
using MedServe.Onnx.Synthetic;

namespace MedServe.Server.Tests.Deployments;

/// <summary>
/// A small MedImageParse package (S = M = 32, D = 32, Q = 16) whose encoders tell how they were run:
/// <list type="bullet">
/// <item>the text encoder's class embedding of every prompt is <c>e_B</c>, B the prompts in its run, so each
/// prompt matches query B and its category is <c>Names[B]</c>; its run fails (an index out of range) when
/// a prompt's first content token is the <c>failingToken</c> given to <see cref="Write"/> or more;</item>
/// <item>the image encoder's <c>mask_features</c> are <c>B − 1.5</c> everywhere, B the images in its run, and
/// query <see cref="ImageQuery"/> of the decoder follows them, so a prompt that matched that query gets a
/// constant mask of <see cref="ConstantMask"/>(B).</item>
/// </list>
/// </summary>
internal static class BatchSizeParsePackage
{
    public const int Size = 32;
    public const int Dim = 32;
    public const int Queries = 16;

    /// <summary>The decoder query whose mask follows <c>mask_features</c>: a text run of two prompts picks it.</summary>
    public const int ImageQuery = 2;

    public static string Write(string directory, int failingToken)
    {
        DemoPackages.WriteMedImageParse(directory, Size, Dim, Queries, Size, [], maxPrompts: 3, imageQuery: ImageQuery);
        TextEncoderSwap.Replace(directory, TextEncoder(failingToken));
        return TextEncoderSwap.Replace(directory, ImageEncoder(), "image_encoder.onnx");
    }

    /// <summary>The uint8 value of every pixel of a mask whose logits are <c>4·(B − 1.5)</c>, as the server computes it.</summary>
    public static byte ConstantMask(int batch) =>
        (byte)(1f / (1f + MathF.Exp(-SyntheticMedImageParse.ImageMaskGain * (batch - 1.5f))) * 255f);

    private static byte[] TextEncoder(int failingToken)
    {
        var signature = SyntheticMedImageParse.TextEncoderSignature(Dim);
        var g = new OnnxGraphBuilder(SyntheticMedImageParse.TextEncoderGraph);
        var ids = g.AddInput(signature.Inputs[0]);
        g.AddInput(signature.Inputs[1]);
        var first = g.AddNode("Gather", [ids, g.AddInitializer("position_one", [1L], [])], OnnxAttribute.Int("axis", 1));
        var batch = g.AddNode("Gather", [g.AddNode("Shape", [ids]), g.AddInitializer("zero_index", [0L], [])], OnnxAttribute.Int("axis", 0));
        var query = g.AddNode("Add", [g.AddNode("Mul", [first, g.AddInitializer("zero_long", [0L], [])]), batch]);
        var classes = g.AddNode("Gather", [g.AddInitializer("basis", Identity(Queries, Dim), [Queries, Dim]), query], OnnxAttribute.Int("axis", 0));
        // Zero for every token below failingToken; Gather fails the run for any other.
        var guard = g.AddNode("Gather", [g.AddInitializer("guard", new float[failingToken], [failingToken]), first], OnnxAttribute.Int("axis", 0));
        classes = g.AddNode("Add", [classes, g.AddNode("Unsqueeze", [guard, g.AddInitializer("axis_one", [1L], [1])])]);
        var idsFloat = g.AddNode("Cast", [ids], OnnxAttribute.Int("to", (long)OnnxElementType.Float));
        var tokens = g.AddNode("Mul", [g.AddNode("Unsqueeze", [idsFloat, g.AddInitializer("axis_two", [2L], [1])]), g.AddInitializer("zeros", new float[Dim], [1, 1, Dim])]);
        g.AddOutput(tokens, signature.Outputs[0].Name, signature.Outputs[0].ElementType, [.. signature.Outputs[0].Shape]);
        g.AddOutput(classes, signature.Outputs[1].Name, signature.Outputs[1].ElementType, [.. signature.Outputs[1].Shape]);
        return g.ToModelBytes();
    }

    private static byte[] ImageEncoder()
    {
        var signature = SyntheticMedImageParse.ImageEncoderSignature(Size, Dim, Size, batchDim: SyntheticMedImageParse.BatchDim);
        var g = new OnnxGraphBuilder(SyntheticMedImageParse.ImageEncoderGraph);
        var pixels = g.AddInput(signature.Inputs[0]);
        var batch = g.AddNode("Cast", [g.AddNode("Gather", [g.AddNode("Shape", [pixels]), g.AddInitializer("first", [0L], [1])])], OnnxAttribute.Int("to", (long)OnnxElementType.Float));
        var means = g.AddNode("ReduceMean", [pixels], OnnxAttribute.Ints("axes", 2, 3), OnnxAttribute.Int("keepdims", 0));
        var features = g.AddNode("MatMul", [means, g.AddInitializer("zero_projection", new float[3 * Dim], [3, Dim])]);
        var channel = g.AddNode("Slice", [pixels, g.AddInitializer("start", [0L], [1]), g.AddInitializer("end", [1L], [1]), g.AddInitializer("axis", [1L], [1])]);
        var zero = g.AddNode("Mul", [channel, g.AddInitializer("zero", [0f], [])]);
        var masks = g.AddNode("Add", [zero, g.AddNode("Sub", [batch, g.AddInitializer("half_and_one", [1.5f], [1])])]);
        g.AddOutput(features, signature.Outputs[0].Name, signature.Outputs[0].ElementType, [.. signature.Outputs[0].Shape]);
        g.AddOutput(masks, signature.Outputs[1].Name, signature.Outputs[1].ElementType, [.. signature.Outputs[1].Shape]);
        return g.ToModelBytes();
    }

    private static float[] Identity(int rows, int cols)
    {
        var values = new float[rows * cols];
        for (int i = 0; i < rows; i++)
        {
            values[(i * cols) + i] = 1;
        }

        return values;
    }
}
