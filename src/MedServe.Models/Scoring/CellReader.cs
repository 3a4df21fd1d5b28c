using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text.Json;
using MedServe.Models.Buffers;

namespace MedServe.Models.Scoring;

/// <summary>Reads request cells: null or "" means the modality was not sent; anything else must be a string.</summary>
public static class CellReader
{
    // A multiple of 4, so that every chunk but the last decodes whole.
    private const int ChunkLength = 4096;

    // What a JSON string may hold that base64 does not: escapes and white space.
    private static readonly SearchValues<byte> NotBase64Text = SearchValues.Create("\\ \r\n\t"u8);

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
    /// dropped on the way, 4 KiB at a time, straight into the exact-size result.
    /// </remarks>
    public static bool TryReadBase64(ScoringFrame frame, int row, string column, out byte[]? bytes, out string error)
    {
        byte[]? made = null;
        bool ok = TryDecodeBase64(frame, row, column, length => made = new byte[length], out error);
        bytes = ok ? made : null;
        return ok;
    }

    /// <summary>
    /// Reads a base64 image cell as <see cref="TryReadBase64(ScoringFrame, int, string, out byte[], out string)"/>
    /// does, into a buffer lent by <paramref name="pool"/> (exactly the decoded length). The caller disposes
    /// it; when this returns false nothing is lent.
    /// </summary>
    public static bool TryReadBase64(ScoringFrame frame, int row, string column, RequestBufferPool pool, out PooledBuffer? bytes, out string error)
    {
        ArgumentNullException.ThrowIfNull(pool);
        PooledBuffer? lent = null;
        if (TryDecodeBase64(frame, row, column, length => (lent = pool.Rent(length)).Memory, out error))
        {
            bytes = lent;
            return true;
        }

        lent?.Dispose();
        bytes = null;
        return false;
    }

    /// <summary>
    /// Decodes a base64 cell into the memory <paramref name="allocate"/> gives for the exact decoded
    /// length; a null or "" cell allocates nothing and succeeds.
    /// </summary>
    private static bool TryDecodeBase64(ScoringFrame frame, int row, string column, Func<int, Memory<byte>> allocate, out string error)
    {
        ArgumentNullException.ThrowIfNull(frame);
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

        bool clean = raw.IndexOfAny(NotBase64Text) < 0;
        if (!TryMeasure(raw, clean, out int characters, out int decoded))
        {
            error = $"row {row}, column '{column}': not valid base64";
            return false;
        }

        var destination = allocate(decoded).Span;
        if (!(clean ? TryDecodeClean(raw, destination) : TryDecodeEscaped(raw, characters, destination)))
        {
            error = $"row {row}, column '{column}': not valid base64";
            return false;
        }

        return true;
    }

    /// <summary>
    /// Counts the base64 characters of the cell and the bytes they decode to (from the padding); false
    /// when the count is 0 or not a multiple of 4, or for an escape that cannot be base64.
    /// </summary>
    private static bool TryMeasure(ReadOnlySpan<byte> raw, bool clean, out int characters, out int decoded)
    {
        characters = 0;
        decoded = 0;
        Span<byte> chunk = stackalloc byte[ChunkLength];
        byte last = 0;
        byte beforeLast = 0;
        if (clean)
        {
            characters = raw.Length;
            (beforeLast, last) = raw.Length >= 2 ? (raw[^2], raw[^1]) : ((byte)0, raw[^1]);
        }
        else
        {
            int position = 0;
            while (position < raw.Length)
            {
                if (!TryCollectBase64(raw, ref position, chunk, out int written))
                {
                    return false;
                }

                if (written > 0)
                {
                    beforeLast = written >= 2 ? chunk[written - 2] : last;
                    last = chunk[written - 1];
                }

                characters += written;
            }
        }

        if (characters == 0 || characters % 4 != 0)
        {
            return false;
        }

        int padding = last == (byte)'=' ? (beforeLast == (byte)'=' ? 2 : 1) : 0;
        decoded = (characters / 4 * 3) - padding;
        return true;
    }

    private static bool TryDecodeClean(ReadOnlySpan<byte> raw, Span<byte> destination) =>
        Base64.DecodeFromUtf8(raw, destination, out int consumed, out int written) == OperationStatus.Done
        && consumed == raw.Length && written == destination.Length;

    /// <summary>
    /// Decodes a cell with white space or escapes: collects 4 KiB of base64 characters at a time and
    /// decodes each chunk on, the last one (by the measured count) as the final block.
    /// </summary>
    private static bool TryDecodeEscaped(ReadOnlySpan<byte> raw, int characters, Span<byte> destination)
    {
        Span<byte> chunk = stackalloc byte[ChunkLength];
        int position = 0;
        int seen = 0;
        int total = 0;
        while (seen < characters)
        {
            if (!TryCollectBase64(raw, ref position, chunk, out int collected) || collected == 0)
            {
                return false;
            }

            seen += collected;
            bool final = seen == characters;
            if (Base64.DecodeFromUtf8(chunk[..collected], destination[total..], out int consumed, out int written, final) != OperationStatus.Done
                || consumed != collected)
            {
                return false;
            }

            total += written;
        }

        return total == destination.Length;
    }

    /// <summary>
    /// Copies the next base64 characters of a raw JSON string body, from <paramref name="position"/> on,
    /// into <paramref name="destination"/> until it is full or the body ends, dropping white space and
    /// unescaping <c>\/</c> and <c>\uXXXX</c>; false for any other escape or a non-ASCII escaped character
    /// (neither can be base64). <paramref name="destination"/>'s length must be a multiple of 4.
    /// </summary>
    private static bool TryCollectBase64(ReadOnlySpan<byte> raw, ref int position, Span<byte> destination, out int length)
    {
        length = 0;
        int i = position;
        for (; i < raw.Length && length < destination.Length; i++)
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

        position = i;
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
