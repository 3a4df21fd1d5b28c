using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MedServe.Models.MedImageParse;

/// <summary>
/// Writes the response array into one exactly sized buffer: the masks are base64-encoded straight into
/// the body, inside the <c>image_features</c> string (whose inner quotes are escaped), so the megabytes of
/// masks are neither copied into an intermediate string nor scanned by a JSON escaper. The small parts
/// (names, p-values) go through <see cref="Utf8JsonWriter"/> with relaxed escaping.
/// <code>
/// [{"image_features":"{\"data\": \"&lt;base64&gt;\", \"shape\": [N, H, W], \"dtype\": \"uint8\"}","text_features":[…]}, …]
/// </code>
/// The inner text is spaced as Python's <c>json.dumps</c> writes it (the same text as <see cref="Contracts.MaskArray"/>).
/// </summary>
internal static class MedImageParseResponseWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static ReadOnlySpan<byte> Head => "{\"image_features\":\"{\\\"data\\\": \\\""u8;

    public static byte[] Write(IReadOnlyList<MedImageParseRowResult> rows)
    {
        var tails = new byte[rows.Count][];
        long total = 2 + Math.Max(0, rows.Count - 1);
        for (int i = 0; i < rows.Count; i++)
        {
            tails[i] = Tail(rows[i]);
            total += Head.Length + Base64.GetMaxEncodedToUtf8Length(rows[i].Masks.Length) + tails[i].Length;
        }

        byte[] body = new byte[checked((int)total)];
        var span = body.AsSpan();
        int at = 0;
        span[at++] = (byte)'[';
        for (int i = 0; i < rows.Count; i++)
        {
            if (i > 0)
            {
                span[at++] = (byte)',';
            }

            Head.CopyTo(span[at..]);
            at += Head.Length;
            var status = Base64.EncodeToUtf8(rows[i].Masks, span[at..], out _, out int written);
            if (status != OperationStatus.Done)
            {
                throw new InvalidOperationException("Base64 encoding did not complete.");
            }

            at += written;
            tails[i].CopyTo(span[at..]);
            at += tails[i].Length;
        }

        span[at++] = (byte)']';
        return at == body.Length ? body : throw new InvalidOperationException("The response length was miscounted.");
    }

    /// <summary>Everything of a row after the base64: the rest of the inner text, then the small keys.</summary>
    private static byte[] Tail(MedImageParseRowResult row)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"\\\", \\\"shape\\\": [{row.Count}, {row.Height}, {row.Width}], \\\"dtype\\\": \\\"uint8\\\"}}\",\"text_features\":")));
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartArray();
            foreach (string name in row.Names)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
        }

        if (row.PValues is { } pValues)
        {
            buffer.Write(",\"p_values\":"u8);
            using var writer = new Utf8JsonWriter(buffer, Options);
            writer.WriteStartArray();
            foreach (double? p in pValues)
            {
                if (p is { } value)
                {
                    writer.WriteNumberValue(value);
                }
                else
                {
                    writer.WriteNullValue();
                }
            }

            writer.WriteEndArray();
        }

        if (row.PValueReasons is { } reasons)
        {
            buffer.Write(",\"p_value_reasons\":"u8);
            using var writer = new Utf8JsonWriter(buffer, Options);
            writer.WriteStartArray();
            foreach (string? reason in reasons)
            {
                writer.WriteStringValue(reason);
            }

            writer.WriteEndArray();
        }

        buffer.Write("}"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
