namespace MedServe.Onnx;

/// <summary>The inputs and outputs a model declares, in graph order.</summary>
/// <param name="Inputs">The graph inputs.</param>
/// <param name="Outputs">The graph outputs.</param>
public sealed record OnnxModelSignature(IReadOnlyList<OnnxTensorInfo> Inputs, IReadOnlyList<OnnxTensorInfo> Outputs);
