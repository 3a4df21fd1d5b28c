namespace MedServe.Onnx;

/// <summary>One operator invocation in a graph (an ONNX <c>NodeProto</c>).</summary>
/// <param name="Name">The node's unique name.</param>
/// <param name="OpType">The operator, e.g. <c>"MatMul"</c>.</param>
/// <param name="Domain">The operator set domain; empty for the default ONNX domain.</param>
/// <param name="Inputs">The names of the values consumed, in operator order.</param>
/// <param name="Outputs">The names of the values produced, in operator order.</param>
/// <param name="Attributes">The operator's attributes.</param>
internal sealed record OnnxNode(
    string Name,
    string OpType,
    string Domain,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs,
    IReadOnlyList<OnnxAttribute> Attributes);
