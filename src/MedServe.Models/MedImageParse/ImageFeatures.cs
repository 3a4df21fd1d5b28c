using Microsoft.ML.OnnxRuntime;

namespace MedServe.Models.MedImageParse;

/// <summary>
/// One image's <c>image_encoder</c> outputs, by name, as the decoder takes them (batch 1, the element type
/// the graph gives). Either the outputs of the image's own run, or tensors rebuilt from its
/// <see cref="ImageFeatureRow"/> of a batched run. Disposing frees them.
/// </summary>
internal sealed class ImageFeatures : IDisposable
{
    private readonly IDisposable _owner;

    private ImageFeatures(Dictionary<string, OrtValue> byName, IDisposable owner)
    {
        ByName = byName;
        _owner = owner;
    }

    public IReadOnlyDictionary<string, OrtValue> ByName { get; }

    /// <summary>Takes ownership of the outputs of a one-image run.</summary>
    public static ImageFeatures FromRun(IReadOnlyList<string> names, IDisposableReadOnlyCollection<OrtValue> outputs)
    {
        var byName = new Dictionary<string, OrtValue>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++)
        {
            byName[names[i]] = outputs[i];
        }

        return new ImageFeatures(byName, outputs);
    }

    /// <summary>Tensors holding a copy of one image's row of a batched run.</summary>
    public static ImageFeatures FromRow(ImageFeatureRow row)
    {
        var values = new OwnedValues(row.Features.Count);
        var byName = new Dictionary<string, OrtValue>(StringComparer.Ordinal);
        try
        {
            foreach (var feature in row.Features)
            {
                var value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, feature.ElementType, feature.Shape);
                values.Add(value);
                feature.Data.CopyTo(value.GetTensorMutableRawData());
                byName[feature.Name] = value;
            }
        }
        catch
        {
            values.Dispose();
            throw;
        }

        return new ImageFeatures(byName, values);
    }

    public void Dispose() => _owner.Dispose();

    /// <summary>The tensors <see cref="FromRow"/> allocated.</summary>
    private sealed class OwnedValues(int capacity) : List<OrtValue>(capacity), IDisposable
    {
        public void Dispose()
        {
            foreach (var value in this)
            {
                value.Dispose();
            }
        }
    }
}
