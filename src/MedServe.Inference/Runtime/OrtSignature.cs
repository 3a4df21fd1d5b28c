using MedServe.Inference.Packages;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MedServe.Inference.Runtime;

/// <summary>Turns ONNX Runtime's node metadata into manifest-style tensor signatures.</summary>
internal static class OrtSignature
{
    public static List<TensorSignature> Describe(IReadOnlyList<string> names, IReadOnlyDictionary<string, NodeMetadata> metadata)
    {
        var result = new List<TensorSignature>(names.Count);
        foreach (string name in names)
        {
            var node = metadata[name];
            var shape = new List<TensorDimension>(node.Dimensions.Length);
            for (int i = 0; i < node.Dimensions.Length; i++)
            {
                string symbol = i < node.SymbolicDimensions.Length ? node.SymbolicDimensions[i] : "";
                shape.Add(node.Dimensions[i] >= 0
                    ? TensorDimension.Fixed(node.Dimensions[i])
                    : TensorDimension.Named(string.IsNullOrEmpty(symbol) ? "?" : symbol));
            }

            result.Add(new TensorSignature
            {
                Name = name,
                ElementType = node.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR ? ElementTypeName(node.ElementDataType) : node.OnnxValueType.ToString(),
                Shape = shape,
            });
        }

        return result;
    }

    public static string ElementTypeName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Float16 => "float16",
        TensorElementType.Double => "float64",
        TensorElementType.Int64 => "int64",
        TensorElementType.Int32 => "int32",
        TensorElementType.UInt8 => "uint8",
        TensorElementType.Int8 => "int8",
        TensorElementType.Bool => "bool",
        _ => type.ToString().ToLowerInvariant(),
    };
}
