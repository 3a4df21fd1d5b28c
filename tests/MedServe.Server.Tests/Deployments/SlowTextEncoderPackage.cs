using MedServe.Models.Demo;
using MedServe.Onnx;
using MedServe.Onnx.Synthetic;

namespace MedServe.Server.Tests.Deployments;

/// <summary>
/// The demo MedImageInsight package with a deliberately slow text encoder: the same signature, but
/// <see cref="Steps"/> chained 1024×1024 MatMuls (seconds of work per run), so a request can time out
/// while ONNX Runtime is inside the graph. The image encoder is the demo's fast one.
/// </summary>
internal static class SlowTextEncoderPackage
{
    public const int Steps = 3000;

    public static string Write(string directory)
    {
        DemoPackages.WriteMedImageInsight(directory);
        var signature = SyntheticMedImageInsight.TextEncoderSignature();
        var g = new OnnxGraphBuilder(SyntheticMedImageInsight.TextEncoderGraph);
        var ids = g.AddInput(signature.Inputs[0]);
        var mask = g.AddInput(signature.Inputs[1]);
        var eos = g.AddInput(signature.Inputs[2]);
        long toFloat = (long)OnnxElementType.Float;
        var tokens = g.AddNode("Cast", [g.AddNode("Mul", [ids, mask])], OnnxAttribute.Int("to", toFloat));
        var eosColumn = g.AddNode("Cast", [g.AddNode("Unsqueeze", [eos, g.AddInitializer("axis_one", [1L], [1])])], OnnxAttribute.Int("to", toFloat));
        float[] first = new float[77 * 1024];
        Array.Fill(first, 1f / 77);
        float[] square = new float[1024 * 1024];
        Array.Fill(square, 1f / 1024);
        var hidden = g.AddNode("Add", [g.AddNode("MatMul", [tokens, g.AddInitializer("w_in", first, [77, 1024])]), eosColumn]);
        var weight = g.AddInitializer("w_step", square, [1024, 1024]);
        for (int i = 0; i < Steps; i++)
        {
            hidden = g.AddNode("MatMul", [hidden, weight]);
        }

        var output = signature.Outputs[0];
        g.AddOutput(hidden, output.Name, output.ElementType, [.. output.Shape]);
        return TextEncoderSwap.Replace(directory, g.ToModelBytes());
    }
}
