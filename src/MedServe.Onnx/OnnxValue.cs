namespace MedServe.Onnx;

/// <summary>
/// A handle to a named value in a graph under construction: an input, an initializer or a node output.
/// Obtain one from <see cref="OnnxGraphBuilder"/> and pass it to later nodes.
/// </summary>
/// <param name="Name">The value's name in the graph.</param>
public readonly record struct OnnxValue(string Name)
{
    /// <summary>The value's name.</summary>
    public override string ToString() => Name;
}
