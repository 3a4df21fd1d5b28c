using MedServe.Onnx.Protobuf;

namespace MedServe.Onnx;

/// <summary>
/// Encodes the subset of <c>onnx.proto</c> (proto2) that MedServe writes. Field numbers are listed per
/// message below; each nested message is encoded into its own <see cref="ProtoWriter"/> and then
/// embedded as a length-delimited field.
/// </summary>
internal static class OnnxModelEncoder
{
    /// <summary>The <c>producer_name</c> every model carries.</summary>
    public const string ProducerName = "MedServe";

    /// <summary>Encodes <paramref name="model"/> as a serialized <c>ModelProto</c>.</summary>
    public static byte[] Encode(OnnxModel model)
    {
        var writer = new ProtoWriter(4096);
        WriteModel(writer, model);
        return writer.ToArray();
    }

    private static void WriteModel(ProtoWriter w, OnnxModel model)
    {
        w.WriteInt64(ModelField.IrVersion, model.IrVersion);
        w.WriteString(ModelField.ProducerName, ProducerName);

        var graph = new ProtoWriter(4096);
        WriteGraph(graph, model);
        w.WriteMessage(ModelField.Graph, graph);

        foreach ((string domain, long version) in model.Opsets)
        {
            var opset = new ProtoWriter(32);
            opset.WriteString(OperatorSetIdField.Domain, domain);
            opset.WriteInt64(OperatorSetIdField.Version, version);
            w.WriteMessage(ModelField.OpsetImport, opset);
        }

        foreach ((string key, string value) in model.Metadata)
        {
            var entry = new ProtoWriter(64);
            entry.WriteString(StringStringEntryField.Key, key);
            entry.WriteString(StringStringEntryField.Value, value);
            w.WriteMessage(ModelField.MetadataProps, entry);
        }
    }

    private static void WriteGraph(ProtoWriter w, OnnxModel model)
    {
        foreach (OnnxNode node in model.Nodes)
        {
            var nested = new ProtoWriter();
            WriteNode(nested, node);
            w.WriteMessage(GraphField.Node, nested);
        }

        w.WriteString(GraphField.Name, model.GraphName);

        foreach (OnnxTensor tensor in model.Initializers)
        {
            var nested = new ProtoWriter(tensor.RawData.Length + 64);
            WriteTensor(nested, tensor);
            w.WriteMessage(GraphField.Initializer, nested);
        }

        foreach (OnnxTensorInfo input in model.Inputs)
        {
            var nested = new ProtoWriter();
            WriteValueInfo(nested, input);
            w.WriteMessage(GraphField.Input, nested);
        }

        foreach (OnnxTensorInfo output in model.Outputs)
        {
            var nested = new ProtoWriter();
            WriteValueInfo(nested, output);
            w.WriteMessage(GraphField.Output, nested);
        }
    }

    private static void WriteNode(ProtoWriter w, OnnxNode node)
    {
        foreach (string input in node.Inputs)
        {
            w.WriteString(NodeField.Input, input);
        }

        foreach (string output in node.Outputs)
        {
            w.WriteString(NodeField.Output, output);
        }

        w.WriteString(NodeField.Name, node.Name);
        w.WriteString(NodeField.OpType, node.OpType);
        foreach (OnnxAttribute attribute in node.Attributes)
        {
            var nested = new ProtoWriter();
            WriteAttribute(nested, attribute);
            w.WriteMessage(NodeField.Attribute, nested);
        }

        if (node.Domain.Length > 0)
        {
            w.WriteString(NodeField.Domain, node.Domain);
        }
    }

    private static void WriteAttribute(ProtoWriter w, OnnxAttribute attribute)
    {
        w.WriteString(AttributeField.Name, attribute.Name);
        switch (attribute.Kind)
        {
            case OnnxAttributeKind.Float:
                w.WriteFloat(AttributeField.F, attribute.FloatValue);
                break;
            case OnnxAttributeKind.Int:
                w.WriteInt64(AttributeField.I, attribute.IntValue);
                break;
            case OnnxAttributeKind.String:
                w.WriteString(AttributeField.S, attribute.StringValue!);
                break;
            case OnnxAttributeKind.Tensor:
                var tensor = new ProtoWriter(attribute.TensorValue!.RawData.Length + 64);
                WriteTensor(tensor, attribute.TensorValue);
                w.WriteMessage(AttributeField.T, tensor);
                break;
            case OnnxAttributeKind.Floats:
                w.WritePackedFloat(AttributeField.Floats, [.. attribute.FloatValues]);
                break;
            case OnnxAttributeKind.Ints:
                w.WritePackedInt64(AttributeField.Ints, [.. attribute.IntValues]);
                break;
            default:
                throw new InvalidOperationException($"Unsupported attribute kind {attribute.Kind}.");
        }

        // IR version 2 and later require the discriminator.
        w.WriteInt32(AttributeField.Type, (int)attribute.Kind);
    }

    private static void WriteTensor(ProtoWriter w, OnnxTensor tensor)
    {
        w.WritePackedInt64(TensorField.Dims, [.. tensor.Dims]);
        w.WriteInt32(TensorField.DataType, (int)tensor.ElementType);
        if (tensor.Name.Length > 0)
        {
            w.WriteString(TensorField.Name, tensor.Name);
        }

        w.WriteBytes(TensorField.RawData, tensor.RawData.Span);
    }

    private static void WriteValueInfo(ProtoWriter w, OnnxTensorInfo info)
    {
        var shape = new ProtoWriter();
        foreach (OnnxDim dim in info.Shape)
        {
            var dimension = new ProtoWriter(32);
            if (dim.Value is long value)
            {
                dimension.WriteInt64(DimensionField.DimValue, value);
            }
            else if (dim.Param is string param)
            {
                dimension.WriteString(DimensionField.DimParam, param);
            }

            // An empty Dimension message declares an unknown size.
            shape.WriteMessage(TensorShapeField.Dim, dimension);
        }

        var tensorType = new ProtoWriter();
        tensorType.WriteInt32(TensorTypeField.ElemType, (int)info.ElementType);
        tensorType.WriteMessage(TensorTypeField.Shape, shape);

        var type = new ProtoWriter();
        type.WriteMessage(TypeField.TensorType, tensorType);

        w.WriteString(ValueInfoField.Name, info.Name);
        w.WriteMessage(ValueInfoField.Type, type);
    }

    private static class ModelField
    {
        public const int IrVersion = 1;
        public const int ProducerName = 2;
        public const int Graph = 7;
        public const int OpsetImport = 8;
        public const int MetadataProps = 14;
    }

    private static class OperatorSetIdField
    {
        public const int Domain = 1;
        public const int Version = 2;
    }

    private static class StringStringEntryField
    {
        public const int Key = 1;
        public const int Value = 2;
    }

    private static class GraphField
    {
        public const int Node = 1;
        public const int Name = 2;
        public const int Initializer = 5;
        public const int Input = 11;
        public const int Output = 12;
    }

    private static class NodeField
    {
        public const int Input = 1;
        public const int Output = 2;
        public const int Name = 3;
        public const int OpType = 4;
        public const int Attribute = 5;
        public const int Domain = 7;
    }

    private static class AttributeField
    {
        public const int Name = 1;
        public const int F = 2;
        public const int I = 3;
        public const int S = 4;
        public const int T = 5;
        public const int Floats = 7;
        public const int Ints = 8;
        public const int Type = 20;
    }

    private static class TensorField
    {
        public const int Dims = 1;
        public const int DataType = 2;
        public const int Name = 8;
        public const int RawData = 9;
    }

    private static class ValueInfoField
    {
        public const int Name = 1;
        public const int Type = 2;
    }

    private static class TypeField
    {
        public const int TensorType = 1;
    }

    private static class TensorTypeField
    {
        public const int ElemType = 1;
        public const int Shape = 2;
    }

    private static class TensorShapeField
    {
        public const int Dim = 1;
    }

    private static class DimensionField
    {
        public const int DimValue = 1;
        public const int DimParam = 2;
    }
}
