using MedServe.Models.Demo;
using MedServe.Onnx;
using MedServe.Onnx.Synthetic;

namespace MedServe.Server.Tests.Deployments;

/// <summary>
/// The demo MedImageInsight package with a text encoder whose output tells how it was run: row i of
/// <c>text_embeds</c> is <c>(1, B, eos_index[i], 0, …)</c>, B the batch size of the graph run. After the
/// server's L2 normalisation, <c>f[1] / f[0]</c> is the batch size and <c>f[2] / f[0]</c> the row's
/// end-of-text index, so a test sees which rows shared a run and that each went back to its own request.
/// </summary>
internal static class BatchSizeTextEncoderPackage
{
    public static string Write(string directory)
    {
        DemoPackages.WriteMedImageInsight(directory);
        var signature = SyntheticMedImageInsight.TextEncoderSignature();
        int dim = SyntheticMedImageInsight.DefaultEmbeddingDim;
        var g = new OnnxGraphBuilder(SyntheticMedImageInsight.TextEncoderGraph);
        var ids = g.AddInput(signature.Inputs[0]);
        g.AddInput(signature.Inputs[1]);
        var eos = g.AddInput(signature.Inputs[2]);
        long toFloat = (long)OnnxElementType.Float;
        var batch = g.AddNode("Cast", [g.AddNode("Gather", [g.AddNode("Shape", [ids]), g.AddInitializer("first", [0L], [1])])], OnnxAttribute.Int("to", toFloat));
        var eosColumn = g.AddNode("Cast", [g.AddNode("Unsqueeze", [eos, g.AddInitializer("axis_one", [1L], [1])])], OnnxAttribute.Int("to", toFloat));
        var output = g.AddNode("Add",
        [
            g.AddNode("Add", [g.AddInitializer("one_at_0", OneHot(dim, 0), [1, dim]), g.AddNode("Mul", [batch, g.AddInitializer("one_at_1", OneHot(dim, 1), [1, dim])])]),
            g.AddNode("Mul", [eosColumn, g.AddInitializer("one_at_2", OneHot(dim, 2), [1, dim])]),
        ]);
        var declared = signature.Outputs[0];
        g.AddOutput(output, declared.Name, declared.ElementType, [.. declared.Shape]);
        return TextEncoderSwap.Replace(directory, g.ToModelBytes());
    }

    /// <summary>The batch size and end-of-text index a row of the answer reports.</summary>
    public static (int BatchSize, int EosIndex) Read(System.Text.Json.JsonElement row)
    {
        var features = row.GetProperty("text_features");
        float unit = features[0].GetSingle();
        return ((int)MathF.Round(features[1].GetSingle() / unit), (int)MathF.Round(features[2].GetSingle() / unit));
    }

    private static float[] OneHot(int dim, int index)
    {
        float[] values = new float[dim];
        values[index] = 1;
        return values;
    }
}
