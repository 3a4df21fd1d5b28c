using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace MedServe.Server.Scoring;

/// <summary>
/// Reads a request body into memory, stopping as soon as it passes the size limit: into an exact-size
/// array when <c>Content-Length</c> is given, else in 64 KiB steps into a growing buffer (chunked bodies).
/// </summary>
internal static class BodyReader
{
    /// <summary>Returns the body, or null when it is larger than <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is long declared && declared > limit)
        {
            return null;
        }

        var stream = request.Body;
        if (request.ContentLength is long length)
        {
            // The declared size is within the limit: read straight into an exact array (no growth, no copy;
            // a 100 MB body costs 100 MB). Kestrel holds the client to its Content-Length.
            byte[] body = new byte[length];
            int filled = 0;
            while (filled < body.Length)
            {
                int got = await stream.ReadAsync(body.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (got == 0)
                {
                    return body.AsSpan(0, filled).ToArray();
                }

                filled += got;
            }

            return body;
        }

        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        while (true)
        {
            var memory = buffer.GetMemory(64 * 1024);
            int read = await stream.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                return null;
            }
        }

        return buffer.WrittenSpan.ToArray();
    }
}
