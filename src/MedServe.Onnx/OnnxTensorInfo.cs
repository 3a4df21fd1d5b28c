namespace MedServe.Onnx;

/// <summary>
/// The declared name, element type and shape of a graph input or output (an ONNX <c>ValueInfoProto</c>
/// with a tensor type). Also used to publish model signatures to the package-manifest writer.
/// </summary>
/// <param name="Name">The value's name in the graph.</param>
/// <param name="ElementType">The tensor's element type.</param>
/// <param name="Shape">The dimensions, outermost first; fixed, symbolic or unknown.</param>
public sealed record OnnxTensorInfo(string Name, OnnxElementType ElementType, IReadOnlyList<OnnxDim> Shape);
