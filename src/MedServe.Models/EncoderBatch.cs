using MedServe.Inference.Packages;

namespace MedServe.Models;

/// <summary>
/// How many items one run of an encoder graph takes, and what its batch dimension may be: the one rule
/// for every model's batched graphs. MedServe runs 1 to the limit items at a time and never pads a run,
/// so the batch dimension (the first dimension of the graph's first input) is symbolic, or fixed to 1 —
/// then the graph takes one item per run whatever <c>limits.max_batch_size</c> says (a reference export
/// at batch 1 works as it is), and a graph <c>max_batch_size</c> above 1 is refused.
/// </summary>
internal static class EncoderBatch
{
    /// <summary>The most items one run of <paramref name="role"/> takes: 1 for a fixed batch dimension, else <see cref="PackageManifest.BatchLimit"/>.</summary>
    public static int Limit(PackageManifest manifest, string role) => IsFixed(manifest, role, out _) ? 1 : manifest.BatchLimit(role);

    /// <summary>Adds a problem when <paramref name="role"/>'s batch dimension is fixed to more than 1, or fixed to 1 with a larger graph <c>max_batch_size</c>.</summary>
    /// <param name="manifest">The package manifest.</param>
    /// <param name="role">The encoder graph's role.</param>
    /// <param name="unit">What one item is, for the message: <c>image</c>, <c>text</c>, <c>prompt</c>.</param>
    /// <param name="problems">Where the problem goes.</param>
    public static void Check(PackageManifest manifest, string role, string unit, List<string> problems)
    {
        if (!IsFixed(manifest, role, out long size))
        {
            return;
        }

        var graph = manifest.Graphs[role];
        if (size != 1)
        {
            problems.Add($"{PackageManifest.FileName}: graph '{role}' has its batch dimension fixed to {size}; MedServe runs it on 1 to max_batch_size {unit}s at a time, so the dimension must be 1 or symbolic");
        }
        else if (graph.MaxBatchSize is > 1)
        {
            problems.Add($"{PackageManifest.FileName}: graph '{role}' has its batch dimension fixed to 1, so it takes one {unit} per run; its max_batch_size must be 1, not {graph.MaxBatchSize}");
        }
    }

    private static bool IsFixed(PackageManifest manifest, string role, out long size)
    {
        size = 0;
        var inputs = manifest.Graphs[role].Inputs;
        if (inputs.Count == 0 || inputs[0].Shape.Count == 0 || inputs[0].Shape[0].Size is not { } fixedSize)
        {
            return false;
        }

        size = fixedSize;
        return true;
    }
}
