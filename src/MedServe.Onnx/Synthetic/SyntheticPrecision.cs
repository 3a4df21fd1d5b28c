namespace MedServe.Onnx.Synthetic;

/// <summary>
/// Float16 variants of the synthetic graphs: Cast nodes at the edges of the float32 body, so a float16
/// graph computes what the float32 one does on float16-rounded inputs, rounded to float16 at the end.
/// </summary>
internal static class SyntheticPrecision
{
    public static void Validate(OnnxElementType floatType)
    {
        if (floatType is not (OnnxElementType.Float or OnnxElementType.Float16))
        {
            throw new ArgumentOutOfRangeException(nameof(floatType), floatType, "The synthetic graphs are float32 or float16.");
        }
    }

    /// <summary>A float32 view of a graph input (the input itself when it is float32).</summary>
    public static OnnxValue ToFloat(OnnxGraphBuilder g, OnnxValue value, OnnxElementType floatType) =>
        floatType == OnnxElementType.Float ? value : g.AddNode("Cast", [value], OnnxAttribute.Int("to", (long)OnnxElementType.Float));

    /// <summary>A float32 result in the graph's output type.</summary>
    public static OnnxValue FromFloat(OnnxGraphBuilder g, OnnxValue value, OnnxElementType floatType) =>
        floatType == OnnxElementType.Float ? value : g.AddNode("Cast", [value], OnnxAttribute.Int("to", (long)floatType));
}
