using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedServe.Contracts;

/// <summary>
/// Writes a <c>float[]</c> (an embedding) as the JSON array System.Text.Json would write, byte for byte,
/// with <see cref="ShortestFloat"/> doing the number text, in one raw write; reads it back as the default
/// converter does. An array holding NaN or an infinity is left to the writer's own number path, which
/// refuses it as before.
/// </summary>
public sealed class Float32ArrayJsonConverter : JsonConverter<float[]>
{
    /// <inheritdoc />
    public override float[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"expected an array of numbers, not {reader.TokenType}");
        }

        var values = new List<float>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number)
            {
                throw new JsonException($"expected a number in the array, not {reader.TokenType}");
            }

            values.Add(reader.GetSingle());
        }

        return [.. values];
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, float[] value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (!AllFinite(value))
        {
            writer.WriteStartArray();
            foreach (float v in value)
            {
                writer.WriteNumberValue(v);
            }

            writer.WriteEndArray();
            return;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(2 + (value.Length * (ShortestFloat.MaxBytes + 1)));
        try
        {
            int at = 0;
            buffer[at++] = (byte)'[';
            for (int i = 0; i < value.Length; i++)
            {
                if (i > 0)
                {
                    buffer[at++] = (byte)',';
                }

                at += ShortestFloat.Format(value[i], buffer.AsSpan(at));
            }

            buffer[at++] = (byte)']';
            writer.WriteRawValue(buffer.AsSpan(0, at), skipInputValidation: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool AllFinite(float[] values)
    {
        foreach (float v in values)
        {
            if (!float.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }
}
