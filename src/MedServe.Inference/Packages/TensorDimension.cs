using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedServe.Inference.Packages;

/// <summary>One dimension of a tensor signature: a fixed size, or a symbolic name such as <c>batch</c>.</summary>
[JsonConverter(typeof(TensorDimensionJsonConverter))]
public readonly record struct TensorDimension
{
    private TensorDimension(long? size, string? symbol)
    {
        Size = size;
        Symbol = symbol;
    }

    /// <summary>The fixed size, or null for a symbolic dimension.</summary>
    public long? Size { get; }

    /// <summary>The symbolic name, or null for a fixed dimension.</summary>
    public string? Symbol { get; }

    /// <summary>True for a symbolic (free) dimension.</summary>
    public bool IsSymbolic => Size is null;

    /// <summary>A fixed dimension.</summary>
    public static TensorDimension Fixed(long size) => new(size, null);

    /// <summary>A symbolic dimension.</summary>
    public static TensorDimension Named(string symbol) => new(null, symbol);

    /// <summary>A fixed dimension from a number.</summary>
    public static implicit operator TensorDimension(long size) => Fixed(size);

    /// <summary>A symbolic dimension from a name.</summary>
    public static implicit operator TensorDimension(string symbol) => Named(symbol);

    /// <inheritdoc />
    public override string ToString() => Size?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Symbol ?? "?";
}

/// <summary>Reads and writes a dimension as a JSON number or string.</summary>
internal sealed class TensorDimensionJsonConverter : JsonConverter<TensorDimension>
{
    public override TensorDimension Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number when reader.TryGetInt64(out long size) && size >= 0 => TensorDimension.Fixed(size),
            JsonTokenType.String when !string.IsNullOrWhiteSpace(reader.GetString()) => TensorDimension.Named(reader.GetString()!),
            _ => throw new JsonException("a shape dimension must be a non-negative integer or a non-empty name"),
        };

    public override void Write(Utf8JsonWriter writer, TensorDimension value, JsonSerializerOptions options)
    {
        if (value.Size is long size)
        {
            writer.WriteNumberValue(size);
        }
        else
        {
            writer.WriteStringValue(value.Symbol);
        }
    }
}
