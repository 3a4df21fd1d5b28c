namespace MedServe.Onnx.Protobuf;

/// <summary>The protobuf wire types this encoder emits (the low three bits of a field tag).</summary>
internal enum WireType
{
    /// <summary>Base-128 varint: int32, int64, uint64, bool, enum.</summary>
    Varint = 0,

    /// <summary>Eight little-endian bytes: double, fixed64.</summary>
    Fixed64 = 1,

    /// <summary>A varint length followed by that many bytes: string, bytes, messages, packed repeated.</summary>
    LengthDelimited = 2,

    /// <summary>Four little-endian bytes: float, fixed32.</summary>
    Fixed32 = 5,
}
