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
    /// Decodes the JSON text of a mask stack; returns false with a message saying what is wrong
    /// (not JSON, a missing key, a dtype other than uint8, a shape that is not three non-negative
    /// integers, invalid base64, a byte count that does not match the shape).
    /// </summary>
    /// <param name="json">The <c>image_features</c> string.</param>
    /// <param name="masks">The raw bytes, when the result is true.</param>
    /// <param name="shape">N, H, W, when the result is true.</param>
    /// <param name="error">Why the text was refused, when the result is false.</param>
    public static bool TryDecode(string json, out byte[] masks, out (int Count, int Height, int Width) shape, out string error)
    {
        ArgumentNullException.ThrowIfNull(json);
        masks = [];
        shape = default;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "the mask array is not a JSON object";
                return false;
            }

            if (!root.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String || dtype.GetString() != "uint8")
            {
                error = "the mask array's \"dtype\" must be \"uint8\"";
                return false;
            }

            if (!root.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
                || shapeElement.GetArrayLength() != 3 || shapeElement.EnumerateArray().Any(d => !d.TryGetInt32(out int v) || v < 0))
            {
                error = "the mask array's \"shape\" must be three non-negative integers [N, H, W]";
                return false;
            }

            int n = shapeElement[0].GetInt32();
            int h = shapeElement[1].GetInt32();
            int w = shapeElement[2].GetInt32();
            if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.String)
            {
                error = "the mask array has no \"data\" string";
                return false;
            }

            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(data.GetString()!);
            }
            catch (FormatException)
            {
                error = "the mask array's \"data\" is not valid base64";
                return false;
            }

            if (bytes.LongLength != (long)n * h * w)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"the mask array holds {bytes.LongLength} bytes but its shape [{n}, {h}, {w}] needs {(long)n * h * w}");
                return false;
            }

            masks = bytes;
            shape = (n, h, w);
            error = "";
            return true;
        }
        catch (JsonException)
        {
            error = "the mask array is not valid JSON";
            return false;
        }
    }
}
