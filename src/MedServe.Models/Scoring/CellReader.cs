using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace MedServe.Models.Scoring;

/// <summary>Reads request cells: null or "" means the modality was not sent; anything else must be a string.</summary>
public static class CellReader
{
    /// <summary>
    /// Reads a text cell. Returns false with a message naming the row and column when the cell holds
    /// something other than a string or null.
    /// </summary>
    public static bool TryReadText(ScoringFrame frame, int row, string column, out string? text, out string error)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return TryReadString(frame, row, column, "a string or null", out text, out error);
    }

    /// <summary>
    /// Reads a base64 image cell (standard alphabet, line breaks allowed) into bytes. Returns false with
    /// a message naming the row and column for a wrong type or invalid base64.
    /// </summary>
    /// <remarks>
    /// The base64 is decoded from the request's own UTF-8 bytes: no UTF-16 string of the cell is made
    /// (for a 100 MB image that string alone would be 200 MB). White space and the JSON escapes a client's
    /// serializer may write inside base64 (<c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\/</c>, <c>\u002B</c>) are
    /// handled on the way into one pooled buffer, which is then decoded into the exact-size result.
    /// </remarks>
    public static bool TryReadBase64(ScoringFrame frame, int row, string column, out byte[]? bytes, out string error)
    {
        ArgumentNullException.ThrowIfNull(frame);
        bytes = null;
        error = "";
        var cell = frame.Cell(row, column);
        switch (cell.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return true;
            case JsonValueKind.String:
                break;
            default:
                error = $"row {row}, column '{column}': expected a base64 string or null, got {ScoringFrameParser.Describe(cell.ValueKind)}";
                return false;
        }

        // The raw token includes its quotes.
        var raw = JsonMarshal.GetRawUtf8Value(cell);
        raw = raw.Length >= 2 && raw[0] == (byte)'"' ? raw[1..^1] : raw;
        if (raw.Length == 0)
        {
            return true;
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent(raw.Length);
        try
        {
            if (!TryCollectBase64(raw, rented, out int length) || length == 0 || length % 4 != 0)
            {
                error = $"row {row}, column '{column}': not valid base64";
                return false;
            }

            var span = rented.AsSpan(0, length);
            int padding = span[^1] == (byte)'=' ? (span[^2] == (byte)'=' ? 2 : 1) : 0;
            byte[] buffer = new byte[(length / 4 * 3) - padding];
            if (Base64.DecodeFromUtf8(span, buffer, out int consumed, out int written) != OperationStatus.Done
                || consumed != length || written != buffer.Length)
            {
                error = $"row {row}, column '{column}': not valid base64";
                return false;
            }

            bytes = buffer;
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Copies the base64 characters of a raw JSON string body into <paramref name="destination"/>, dropping
    /// white space and unescaping <c>\/</c> and <c>\uXXXX</c>; false for any other escape or a non-ASCII
    /// escaped character (neither can be base64).
    /// </summary>
    private static bool TryCollectBase64(ReadOnlySpan<byte> raw, Span<byte> destination, out int length)
    {
        length = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            byte b = raw[i];
            if (b == (byte)'\\')
            {
                if (++i >= raw.Length)
                {
                    return false;
                }

                switch (raw[i])
                {
                    case (byte)'n' or (byte)'r' or (byte)'t':
                        continue;
                    case (byte)'/':
                        b = (byte)'/';
                        break;
                    case (byte)'u' when i + 4 < raw.Length
                        && System.Buffers.Text.Utf8Parser.TryParse(raw.Slice(i + 1, 4), out ushort code, out int used, 'X') && used == 4:
                        i += 4;
                        if (code is ' ' or '\r' or '\n' or '\t')
                        {
                            continue;
                        }

                        if (code > 0x7F)
                        {
                            return false;
                        }

                        b = (byte)code;
                        break;
                    default:
                        return false;
                }
            }
            else if (b is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t')
            {
                continue;
            }

            destination[length++] = b;
        }

        return true;
    }

    /// <summary>A string cell; null, a missing column and "" all read as null (the modality was not sent).</summary>
    private static bool TryReadString(ScoringFrame frame, int row, string column, string expected, out string? value, out string error)
    {
        value = null;
        error = "";
        var cell = frame.Cell(row, column);
        switch (cell.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return true;
            case JsonValueKind.String:
                string text = cell.GetString()!;
                value = text.Length == 0 ? null : text;
                return true;
            default:
                error = $"row {row}, column '{column}': expected {expected}, got {ScoringFrameParser.Describe(cell.ValueKind)}";
                return false;
        }
    }
}
