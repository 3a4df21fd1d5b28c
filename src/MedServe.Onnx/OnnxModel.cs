namespace MedServe.Onnx;

/// <summary>Everything <see cref="OnnxModelEncoder"/> puts into a <c>ModelProto</c>.</summary>
/// <param name="GraphName">The graph's name.</param>
/// <param name="IrVersion">The ONNX IR version.</param>
/// <param name="Opsets">The imported operator sets as (domain, version); the default domain is empty.</param>
/// <param name="Inputs">The graph inputs.</param>
/// <param name="Outputs">The graph outputs.</param>
/// <param name="Initializers">The constant tensors.</param>
/// <param name="Nodes">The nodes, in topological order.</param>
/// <param name="Metadata">The model's <c>metadata_props</c>, in insertion order.</param>
internal sealed record OnnxModel(
    string GraphName,
    long IrVersion,
    IReadOnlyList<KeyValuePair<string, long>> Opsets,
    IReadOnlyList<OnnxTensorInfo> Inputs,
    IReadOnlyList<OnnxTensorInfo> Outputs,
    IReadOnlyList<OnnxTensor> Initializers,
    IReadOnlyList<OnnxNode> Nodes,
    IReadOnlyList<KeyValuePair<string, string>> Metadata);
