using MedServe.Models.Buffers;
using Microsoft.AspNetCore.Http;

namespace MedServe.Server.Scoring;

/// <summary>
/// Reads a request body into a buffer borrowed from a <see cref="RequestBufferPool"/>, stopping as soon
/// as it passes the size limit: into one buffer of exactly <c>Content-Length</c> bytes when it is given
/// (no growth, no copy), else in a buffer that doubles from 64 KiB (chunked bodies).
/// </summary>
internal static class BodyReader
{
    private const int FirstChunk = 64 * 1024;

    /// <summary>
    /// Returns the body, or null when it is larger than <paramref name="limit"/> bytes. The caller owns
    /// the buffer and disposes it; on every other outcome (null, an exception) it is already given back.
    /// </summary>
    public static async Task<PooledBuffer?> ReadAsync(HttpRequest request, long limit, RequestBufferPool pool, CancellationToken cancellationToken)
    {
        if (request.ContentLength is long declared && declared > limit)
        {
            return null;
        }

        var stream = request.Body;
        // One byte past the limit is enough to know a body is too large.
        int capacity = request.ContentLength is long length ? (int)length : (int)Math.Min(FirstChunk, Math.Min(limit + 1, Array.MaxLength));
        var buffer = pool.Rent(capacity);
        try
        {
            int filled = 0;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    if (request.ContentLength is not null || filled > limit || filled == Array.MaxLength)
                    {
                        break;
                    }

                    var larger = pool.Rent((int)Math.Min(Math.Min(2L * filled, limit + 1), Array.MaxLength));
                    buffer.Span.CopyTo(larger.Span);
                    buffer.Dispose();
                    buffer = larger;
                }

                // Kestrel holds a client to its Content-Length; the loop stops at the end either way.
                int read = await stream.ReadAsync(buffer.Memory[filled..], cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }

            if (filled > limit)
            {
                buffer.Dispose();
                return null;
            }

            buffer.Truncate(filled);
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }
}
