using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MedServe.Inference.Runtime;

/// <summary>
/// Float tensors in whichever precision a graph declares: the pipelines build float32 and read float32,
/// and a float16 package (graph inputs or outputs declared <c>float16</c>) is converted at the edge.
/// <code>
/// float32 buffer ─► graph input float32? use it in place : convert to float16 (round to nearest even)
/// graph output   ─► float32? read it in place           : widen float16 to float32
/// </code>
/// </summary>
public static class OrtFloatTensors
{
    /// <summary>True for the manifest element types these helpers feed and read: <c>float32</c> and <c>float16</c>.</summary>
    public static bool IsFloat(string? elementType) => elementType is "float32" or "float16";

    /// <summary>
    /// A tensor for <paramref name="inputName"/> of <paramref name="session"/> holding <paramref name="data"/>:
    /// the array itself (pinned) for a float32 input, a float16 copy for a float16 input. The caller disposes it.
    /// </summary>
    public static OrtValue Input(InferenceSession session, string inputName, float[] data, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(data);
        var type = session.InputMetadata[inputName].ElementDataType;
        if (type == TensorElementType.Float)
        {
            return OrtValue.CreateTensorValueFromMemory(data, shape);
        }

        if (type != TensorElementType.Float16)
        {
            throw new InvalidOperationException($"graph input '{inputName}' is {type}, not a float tensor");
        }

        var value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float16, shape);
        try
        {
            // ORT's Float16 and System.Half are both IEEE binary16 in 16 bits, so the buffer is reinterpreted, not copied.
            var target = MemoryMarshal.Cast<Float16, Half>(value.GetTensorMutableDataAsSpan<Float16>());
            TensorPrimitives.ConvertToHalf(data, target);
            return value;
        }
        catch
        {
            value.Dispose();
            throw;
        }
    }

    /// <summary>The values of a float32 or float16 output tensor as float32 (a view for float32, a widened copy for float16).</summary>
    public static ReadOnlySpan<float> Read(OrtValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var type = value.GetTensorTypeAndShape().ElementDataType;
        if (type == TensorElementType.Float)
        {
            return value.GetTensorDataAsSpan<float>();
        }

        if (type != TensorElementType.Float16)
        {
            throw new InvalidOperationException($"the graph output is {type}, not a float tensor");
        }

        var half = MemoryMarshal.Cast<Float16, Half>(value.GetTensorDataAsSpan<Float16>());
        float[] widened = new float[half.Length];
        TensorPrimitives.ConvertToSingle(half, widened);
        return widened;
    }
}
