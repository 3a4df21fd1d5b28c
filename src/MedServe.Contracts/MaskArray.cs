using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MedServe.Contracts;

/// <summary>
/// The uint8 mask stack MedImageParse returns inside its <c>image_features</c> string:
/// <c>{"data": "&lt;standard base64 of the raw C-order bytes&gt;", "shape": [N, H, W], "dtype": "uint8"}</c>,
/// spaced as Python's <c>json.dumps</c> writes it. Clients decode it with <c>json.loads</c> →
/// <c>base64.b64decode</c> → <c>np.frombuffer(…, uint8).reshape(shape)</c>.
/// </summary>
public static class MaskArray
{
    private static ReadOnlySpan<byte> Prefix => "{\"data\": \""u8;

    /// <summary>The UTF-8 bytes of the JSON text for <paramref name="count"/> masks of <paramref name="height"/> × <paramref name="width"/>.</summary>
    /// <param name="masks">Exactly <c>count · height · width</c> bytes, mask-major then row-major.</param>
    /// <param name="count">N, zero or more.</param>
    /// <param name="height">H, at least 1.</param>
    /// <param name="width">W, at least 1.</param>
    /// <exception cref="ArgumentException">The length of <paramref name="masks"/> does not match the shape.</exception>
    public static byte[] EncodeUtf8(ReadOnlySpan<byte> masks, int count, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if ((long)count * height * width != masks.Length)
        {
            throw new ArgumentException($"Expected {(long)count * height * width} bytes for shape [{count}, {height}, {width}], got {masks.Length}.", nameof(masks));
        }

        byte[] suffix = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"\", \"shape\": [{count}, {height}, {width}], \"dtype\": \"uint8\"}}"));
        int encoded = Base64.GetMaxEncodedToUtf8Length(masks.Length);
        byte[] result = new byte[Prefix.Length + encoded + suffix.Length];
        Prefix.CopyTo(result);
        var status = Base64.EncodeToUtf8(masks, result.AsSpan(Prefix.Length), out _, out int written);
        if (status != OperationStatus.Done || written != encoded)
        {
            throw new InvalidOperationException("Base64 encoding did not complete.");
        }

        suffix.CopyTo(result.AsSpan(Prefix.Length + encoded));
        return result;
    }

    /// <summary>The JSON text for a mask stack, as a string (see <see cref="EncodeUtf8"/>).</summary>
    /// <param name="masks">Exactly <c>count · height · width</c> bytes.</param>
    /// <param name="count">N.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    public static string Encode(ReadOnlySpan<byte> masks, int count, int height, int width) =>
        Encoding.UTF8.GetString(EncodeUtf8(masks, count, height, width));

    /// <summary>
    /// Decodes the JSON text of a mask stack as client code does (<c>json.loads</c>, base64,
    /// <c>frombuffer(uint8).reshape(shape)</c>); returns false with a message saying what is wrong, e.g.
    /// <c>'dtype' is 'float32'; masks are 'uint8' (probability × 255)</c> or
    /// <c>'data' holds 15 bytes, but shape [1, 4, 4] needs 16</c>.
    /// </summary>
    /// <param name="json">The <c>image_features</c> string.</param>
    /// <param name="masks">The raw bytes, when the result is true.</param>
    /// <param name="shape">N (zero or more), H and W (at least 1), when the result is true.</param>
    /// <param name="error">Why the text was refused, when the result is false.</param>
    public static bool TryDecode(string json, out byte[] masks, out (int Count, int Height, int Width) shape, out string error)
    {
        ArgumentNullException.ThrowIfNull(json);
        masks = [];
        shape = default;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            error = string.Create(CultureInfo.InvariantCulture,
                $"does not hold valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1})");
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"holds {Describe(root.ValueKind)}, not an object with 'data', 'shape' and 'dtype'";
                return false;
            }

            if (!TryGet(root, "dtype", JsonValueKind.String, "a string", out var dtype, out error))
            {
                return false;
            }

            if (dtype.GetString() != "uint8")
            {
                string value = dtype.GetString()!;
                error = $"'dtype' is '{(value.Length > 64 ? value[..64] : value)}'; masks are 'uint8' (probability × 255)";
                return false;
            }

            if (!TryGet(root, "shape", JsonValueKind.Array, "a list", out var shapeElement, out error)
                || !TryReadShape(shapeElement, out shape, out error)
                || !TryGet(root, "data", JsonValueKind.String, "a base64 string", out var data, out error))
            {
                return false;
            }

            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(data.GetString()!);
            }
            catch (FormatException)
            {
                error = "'data' is not valid base64";
                return false;
            }

            long expected = (long)shape.Count * shape.Height * shape.Width;
            if (bytes.LongLength != expected)
            {
                error = string.Create(CultureInfo.InvariantCulture,
                    $"'data' holds {bytes.LongLength} bytes, but shape [{shape.Count}, {shape.Height}, {shape.Width}] needs {expected}");
                shape = default;
                return false;
            }

            masks = bytes;
            error = "";
            return true;
        }
    }

    private static bool TryReadShape(JsonElement element, out (int Count, int Height, int Width) shape, out string error)
    {
        shape = default;
        error = "'shape' must be 3 integers [N, H, W] (N at least 0, H and W at least 1)";
        if (element.GetArrayLength() != 3)
        {
            return false;
        }

        int[] values = new int[3];
        for (int i = 0; i < 3; i++)
        {
            if (element[i].ValueKind != JsonValueKind.Number || !element[i].TryGetInt32(out values[i]) || values[i] < (i == 0 ? 0 : 1))
            {
                return false;
            }
        }

        shape = (values[0], values[1], values[2]);
        error = "";
        return true;
    }

    private static bool TryGet(JsonElement owner, string key, JsonValueKind kind, string expected, out JsonElement value, out string error)
    {
        error = "";
        if (!owner.TryGetProperty(key, out value))
        {
            error = $"'{key}' is missing";
            return false;
        }

        if (value.ValueKind != kind)
        {
            error = $"'{key}' is {Describe(value.ValueKind)}, not {expected}";
            return false;
        }

        return true;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
