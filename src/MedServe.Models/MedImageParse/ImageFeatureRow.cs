using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MedServe.Models.MedImageParse;

/// <summary>
/// One image's share of a batched <c>image_encoder</c> run: its row of every output, copied into managed
/// memory, so it outlives the run's tensors and needs no disposal when its request has already given up.
/// </summary>
/// <param name="Features">One entry per encoder output, in output order.</param>
internal sealed record ImageFeatureRow(IReadOnlyList<ImageFeatureRow.Feature> Features)
{
    /// <summary>One output's row: its raw bytes (float32 or float16, as the graph gives) and its shape with batch 1.</summary>
    internal sealed record Feature(string Name, TensorElementType ElementType, long[] Shape, byte[] Data);

    /// <summary>Splits the outputs of a run over <paramref name="rows"/> images into one row each.</summary>
    public static ImageFeatureRow[] Split(IReadOnlyList<string> names, IReadOnlyList<OrtValue> outputs, int rows)
    {
        var features = new Feature[rows][];
        for (int r = 0; r < rows; r++)
        {
            features[r] = new Feature[names.Count];
        }

        for (int i = 0; i < names.Count; i++)
        {
            var info = outputs[i].GetTensorTypeAndShape();
            long[] shape = info.Shape;
            if (shape.Length == 0 || shape[0] != rows)
            {
                throw new InvalidOperationException($"graph output '{names[i]}' has batch size {(shape.Length == 0 ? 0 : shape[0])} for {rows} images");
            }

            ReadOnlySpan<byte> raw = outputs[i].GetTensorMutableRawData();
            int rowBytes = raw.Length / rows;
            long[] rowShape = [1, .. shape.AsSpan(1)];
            for (int r = 0; r < rows; r++)
            {
                features[r][i] = new Feature(names[i], info.ElementDataType, rowShape, raw.Slice(r * rowBytes, rowBytes).ToArray());
            }
        }

        return [.. features.Select(f => new ImageFeatureRow(f))];
    }
}
