using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace MedServe.Cli.Bench;

/// <summary>
/// Reads HTTP/1.1 responses off one connection, one after another, for <see cref="RawHttpBenchTarget"/>:
/// the status line and headers, then the body by <c>Content-Length</c>, by <c>chunked</c> transfer
/// coding, or to the end of the connection; the body is read to its end and dropped. Malformed answers
/// throw <see cref="InvalidDataException"/>, a connection closed early <see cref="IOException"/>.
/// </summary>
internal sealed class HttpResponseReader
{
    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;

    public HttpResponseReader(Stream stream, int bufferSize)
    {
        _stream = stream;
        _buffer = new byte[bufferSize];
    }

    /// <summary>Reads one whole response.</summary>
    /// <returns>The status code, and whether the connection may carry the next request.</returns>
    public async Task<(int Status, bool KeepAlive)> ReadResponseAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (status, keepAlive) = await ReadOneAsync(cancellationToken).ConfigureAwait(false);

            // An interim answer (100 Continue, 103 Early Hints) is followed by the real one.
            if (status is < 100 or >= 200 or 101)
            {
                return (status, keepAlive);
            }
        }
    }

    private async Task<(int Status, bool KeepAlive)> ReadOneAsync(CancellationToken cancellationToken)
    {
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new IOException("the connection closed before the response headers ended");
            }
        }

        var (status, length, chunked, close) = ParseHead(_buffer.AsSpan(_start, headerEnd + 2));
        _start += headerEnd + 4;
        if (status is (>= 100 and < 200) or 204 or 304)
        {
            return (status, !close);
        }

        if (chunked)
        {
            await SkipChunkedAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (length is { } bytes)
        {
            await SkipAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // No length: the body runs to the end of the connection.
            _start = _end;
            while (await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                _start = _end;
            }

            return (status, false);
        }

        return (status, !close);
    }

    /// <summary>The status code and the framing headers of a response head (status line and header lines, each ending CRLF).</summary>
    internal static (int Status, long? ContentLength, bool Chunked, bool Close) ParseHead(ReadOnlySpan<byte> head)
    {
        int lineEnd = head.IndexOf("\r\n"u8);
        var statusLine = head[..lineEnd];
        if (statusLine.Length < 12 || !statusLine.StartsWith("HTTP/1."u8) || statusLine[8] != (byte)' '
            || !Utf8Parser.TryParse(statusLine.Slice(9, 3), out int status, out int used) || used != 3 || status < 100)
        {
            throw new InvalidDataException("the response does not start with an HTTP/1.x status line");
        }

        long? length = null;
        bool chunked = false;
        bool close = statusLine[7] == (byte)'0';
        var rest = head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 2)..];
            int colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                throw new InvalidDataException("a response header line has no name");
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                if (!Utf8Parser.TryParse(value, out long parsed, out int digits) || digits != value.Length || parsed < 0)
                {
                    throw new InvalidDataException("the response's Content-Length is not a number");
                }

                length = parsed;
            }
            else if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
            {
                chunked = HasToken(value, "chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "connection"u8))
            {
                close = HasToken(value, "close"u8) || (close && !HasToken(value, "keep-alive"u8));
            }
        }

        return (status, length, chunked, close);
    }

    /// <summary>Whether a comma-separated header value lists <paramref name="token"/> (ASCII, any case).</summary>
    private static bool HasToken(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        foreach (var range in value.Split((byte)','))
        {
            if (Ascii.EqualsIgnoreCase(value[range].Trim((byte)' '), token))
            {
                return true;
            }
        }

        return false;
    }

    private async Task SkipAsync(long bytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            long available = _end - _start;
            if (available >= bytes)
            {
                _start += (int)bytes;
                return;
            }

            bytes -= available;
            _start = _end;
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new IOException("the connection closed before the response body ended");
            }
        }
    }

    private async Task SkipChunkedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            int extension = line.IndexOf(';');
            string hex = (extension < 0 ? line : line[..extension]).Trim();
            if (!long.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long size) || size < 0)
            {
                throw new InvalidDataException("a response chunk has no valid size");
            }

            if (size == 0)
            {
                // Trailer fields, then the empty line.
                while ((await ReadLineAsync(cancellationToken).ConfigureAwait(false)).Length > 0)
                {
                }

                return;
            }

            await SkipAsync(size, cancellationToken).ConfigureAwait(false);
            if ((await ReadLineAsync(cancellationToken).ConfigureAwait(false)).Length != 0)
            {
                throw new InvalidDataException("a response chunk does not end with CRLF");
            }
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        int end;
        while ((end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
        {
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new IOException("the connection closed inside a chunked response");
            }
        }

        string line = System.Text.Encoding.ASCII.GetString(_buffer, _start, end);
        _start += end + 2;
        return line;
    }

    /// <summary>Reads more bytes after the unread ones (moved to the front first); false at the end of the stream.</summary>
    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new InvalidDataException($"a response header or chunk line is longer than {_buffer.Length} bytes");
        }

        int read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }
}
