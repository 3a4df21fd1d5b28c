using System.Globalization;

namespace MedServe.Onnx;

/// <summary>
/// Builds a single-graph ONNX model by hand and serializes it to a <c>ModelProto</c> that ONNX Runtime
/// loads. Values are referred to through <see cref="OnnxValue"/> handles; node outputs get generated
/// names unless one is given.
/// </summary>
/// <example>
/// <code>
/// var g = new OnnxGraphBuilder("projector");
/// OnnxValue x = g.AddInput("x", OnnxElementType.Float, ["batch", 48]);
/// OnnxValue w = g.AddInitializer("w", weights, [48, 1024]);
/// g.AddOutput(g.AddNode("MatMul", [x, w]), "y", OnnxElementType.Float, ["batch", 1024]);
/// byte[] model = g.ToModelBytes();
/// </code>
/// </example>
public sealed class OnnxGraphBuilder
{
    /// <summary>The default-domain opset the models import.</summary>
    /// <value>17.</value>
    public const int DefaultOpsetVersion = 17;

    /// <summary>The ONNX IR version written (IR 8 is the one that introduced opset 17).</summary>
    /// <value>8.</value>
    public const int IrVersion = 8;

    /// <summary>The <c>producer_name</c> written into every model.</summary>
    public const string ProducerName = OnnxModelEncoder.ProducerName;

    private readonly List<OnnxTensorInfo> _inputs = [];
    private readonly List<OnnxTensorInfo> _outputs = [];
    private readonly List<OnnxTensor> _initializers = [];
    private readonly List<OnnxNode> _nodes = [];
    private readonly List<KeyValuePair<string, string>> _metadata = [];
    private readonly List<KeyValuePair<string, long>> _extraOpsets = [];
    private readonly HashSet<string> _valueNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);
    private int _nextNodeId;

    /// <summary>Starts an empty graph.</summary>
    /// <param name="graphName">The graph's name, e.g. <c>"image_encoder"</c>.</param>
    /// <param name="opsetVersion">The default-domain opset to import.</param>
    public OnnxGraphBuilder(string graphName, int opsetVersion = DefaultOpsetVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(graphName);
        ArgumentOutOfRangeException.ThrowIfLessThan(opsetVersion, 1);
        GraphName = graphName;
        OpsetVersion = opsetVersion;
    }

    /// <summary>The graph's name.</summary>
    public string GraphName { get; }

    /// <summary>The default-domain opset the model imports.</summary>
    public int OpsetVersion { get; }

    /// <summary>The inputs and outputs declared so far.</summary>
    public OnnxModelSignature Signature => new([.. _inputs], [.. _outputs]);

    /// <summary>Declares a graph input.</summary>
    /// <param name="name">The input's name, unique in the graph.</param>
    /// <param name="elementType">The element type.</param>
    /// <param name="shape">The dimensions; fixed sizes, symbolic names, or <c>default</c> for unknown.</param>
    public OnnxValue AddInput(string name, OnnxElementType elementType, ReadOnlySpan<OnnxDim> shape) =>
        AddInput(new OnnxTensorInfo(name, elementType, shape.ToArray()));

    /// <summary>Declares a graph input.</summary>
    /// <param name="input">The input's name, element type and shape.</param>
    public OnnxValue AddInput(OnnxTensorInfo input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ClaimValueName(input.Name);
        _inputs.Add(input with { Shape = [.. input.Shape] });
        return new OnnxValue(input.Name);
    }

    /// <summary>Adds a constant tensor to the graph.</summary>
    /// <param name="tensor">The tensor; its name must be unique in the graph.</param>
    public OnnxValue AddInitializer(OnnxTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ClaimValueName(tensor.Name);
        _initializers.Add(tensor);
        return new OnnxValue(tensor.Name);
    }

    /// <summary>Adds a float32 constant tensor to the graph.</summary>
    /// <param name="name">The tensor's name, unique in the graph.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="dims">The dimensions; empty for a scalar.</param>
    public OnnxValue AddInitializer(string name, ReadOnlySpan<float> values, ReadOnlySpan<long> dims) =>
        AddInitializer(OnnxTensor.FromFloat(name, values, dims));

    /// <summary>Adds an int64 constant tensor to the graph.</summary>
    /// <param name="name">The tensor's name, unique in the graph.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="dims">The dimensions; empty for a scalar.</param>
    public OnnxValue AddInitializer(string name, ReadOnlySpan<long> values, ReadOnlySpan<long> dims) =>
        AddInitializer(OnnxTensor.FromInt64(name, values, dims));

    /// <summary>Adds an int32 constant tensor to the graph.</summary>
    /// <param name="name">The tensor's name, unique in the graph.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="dims">The dimensions; empty for a scalar.</param>
    public OnnxValue AddInitializer(string name, ReadOnlySpan<int> values, ReadOnlySpan<long> dims) =>
        AddInitializer(OnnxTensor.FromInt32(name, values, dims));

    /// <summary>Adds a single-output node of the default ONNX domain; its output gets a generated name.</summary>
    /// <param name="opType">The operator, e.g. <c>"MatMul"</c>.</param>
    /// <param name="inputs">The values consumed, in operator order.</param>
    /// <param name="attributes">The operator's attributes.</param>
    /// <returns>The node's output.</returns>
    public OnnxValue AddNode(string opType, ReadOnlySpan<OnnxValue> inputs, params ReadOnlySpan<OnnxAttribute> attributes) =>
        AddNode(opType, inputs, attributes, outputCount: 1)[0];

    /// <summary>Adds a node with any number of outputs.</summary>
    /// <param name="opType">The operator.</param>
    /// <param name="inputs">The values consumed, in operator order.</param>
    /// <param name="attributes">The operator's attributes.</param>
    /// <param name="outputCount">How many outputs to name; each gets a generated name unless given.</param>
    /// <param name="outputNames">Explicit output names, or empty to generate them.</param>
    /// <param name="domain">
    /// The operator set domain; empty for the default ONNX domain. Any other domain must be imported
    /// with <see cref="ImportOpset"/>.
    /// </param>
    /// <returns>The node's outputs, in operator order.</returns>
    public OnnxValue[] AddNode(
        string opType,
        ReadOnlySpan<OnnxValue> inputs,
        ReadOnlySpan<OnnxAttribute> attributes,
        int outputCount,
        ReadOnlySpan<string> outputNames = default,
        string domain = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);
        if (!outputNames.IsEmpty && outputNames.Length != outputCount)
        {
            throw new ArgumentException($"Expected {outputCount} output names, got {outputNames.Length}.", nameof(outputNames));
        }

        var inputNames = new string[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            string name = inputs[i].Name ?? throw new ArgumentException("An input handle is uninitialised.", nameof(inputs));

            // An empty name is ONNX's way of skipping an optional input.
            if (name.Length > 0 && !_valueNames.Contains(name))
            {
                throw new ArgumentException($"Value '{name}' is not defined in graph '{GraphName}'.", nameof(inputs));
            }

            inputNames[i] = name;
        }

        string nodeName = NextNodeName(opType);
        var outputs = new OnnxValue[outputCount];
        var outputNameList = new string[outputCount];
        for (int i = 0; i < outputCount; i++)
        {
            string name = outputNames.IsEmpty
                ? string.Create(CultureInfo.InvariantCulture, $"{nodeName}_out{i}")
                : outputNames[i];
            ClaimValueName(name);
            outputNameList[i] = name;
            outputs[i] = new OnnxValue(name);
        }

        foreach (OnnxAttribute attribute in attributes)
        {
            ArgumentNullException.ThrowIfNull(attribute, nameof(attributes));
        }

        _nodes.Add(new OnnxNode(nodeName, opType, domain, inputNames, outputNameList, attributes.ToArray()));
        return outputs;
    }

    /// <summary>
    /// Declares a graph output. When <paramref name="name"/> differs from the value's own name an
    /// <c>Identity</c> node gives it that name (ONNX Runtime removes such nodes when it optimises).
    /// </summary>
    /// <param name="value">The value to expose.</param>
    /// <param name="name">The output's public name, unique in the graph.</param>
    /// <param name="elementType">The element type.</param>
    /// <param name="shape">The declared dimensions.</param>
    /// <returns>The handle of the named output.</returns>
    public OnnxValue AddOutput(OnnxValue value, string name, OnnxElementType elementType, ReadOnlySpan<OnnxDim> shape)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (value.Name is null || !_valueNames.Contains(value.Name))
        {
            throw new ArgumentException($"Value '{value.Name}' is not defined in graph '{GraphName}'.", nameof(value));
        }

        OnnxValue output = value.Name == name
            ? value
            : AddNode("Identity", [value], [], outputCount: 1, outputNames: [name])[0];
        _outputs.Add(new OnnxTensorInfo(name, elementType, shape.ToArray()));
        return output;
    }

    /// <summary>
    /// Imports an operator set of a domain other than the default one, e.g. <c>com.microsoft</c> version 1
    /// for ONNX Runtime's contrib operators; replaces an earlier version for the same domain.
    /// </summary>
    /// <param name="domain">The operator set domain.</param>
    /// <param name="version">The operator set version.</param>
    public void ImportOpset(string domain, long version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        int index = _extraOpsets.FindIndex(entry => entry.Key == domain);
        if (index >= 0)
        {
            _extraOpsets[index] = new(domain, version);
        }
        else
        {
            _extraOpsets.Add(new(domain, version));
        }
    }

    /// <summary>Sets a model-level metadata property (<c>metadata_props</c>), replacing an earlier value.</summary>
    /// <param name="key">The key, e.g. <c>"medserve.synthetic"</c>.</param>
    /// <param name="value">The value.</param>
    public void SetMetadata(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        int index = _metadata.FindIndex(entry => entry.Key == key);
        if (index >= 0)
        {
            _metadata[index] = new(key, value);
        }
        else
        {
            _metadata.Add(new(key, value));
        }
    }

    /// <summary>Serializes the model as ONNX protobuf bytes.</summary>
    /// <exception cref="InvalidOperationException">The graph declares no output.</exception>
    public byte[] ToModelBytes()
    {
        if (_outputs.Count == 0)
        {
            throw new InvalidOperationException($"Graph '{GraphName}' declares no output.");
        }

        return OnnxModelEncoder.Encode(ToModel());
    }

    /// <summary>The model as it would be serialized: graph, initializers, nodes (for tests that inspect a graph).</summary>
    internal OnnxModel ToModel()
    {
        return new OnnxModel(
            GraphName,
            IrVersion,
            [new(string.Empty, OpsetVersion), .. _extraOpsets],
            [.. _inputs],
            [.. _outputs],
            [.. _initializers],
            [.. _nodes],
            [.. _metadata]);
    }

    /// <summary>Serializes the model and writes it to <paramref name="path"/>, replacing any file there.</summary>
    /// <param name="path">The destination, conventionally ending in <c>.onnx</c>.</param>
    public void WriteTo(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        File.WriteAllBytes(path, ToModelBytes());
    }

    /// <summary>Serializes the model onto <paramref name="stream"/>.</summary>
    /// <param name="stream">A writable stream.</param>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(ToModelBytes());
    }

    private void ClaimValueName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_valueNames.Add(name))
        {
            throw new ArgumentException($"Value name '{name}' is already used in graph '{GraphName}'.", nameof(name));
        }
    }

    private string NextNodeName(string opType)
    {
        string name;
        do
        {
            name = string.Create(CultureInfo.InvariantCulture, $"{opType}_{_nextNodeId++}");
        }
        while (!_nodeNames.Add(name));

        return name;
    }
}
