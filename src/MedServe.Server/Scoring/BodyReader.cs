using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace MedServe.Server.Scoring;

/// <summary>Reads a request body into memory, stopping as soon as it passes the size limit.</summary>
internal static class BodyReader
{
    /// <summary>Returns the body, or null when it is larger than <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is long declared && declared > limit)
        {
            return null;
        }

        int initial = (int)Math.Min(request.ContentLength ?? 64 * 1024, limit + 1);
        var buffer = new ArrayBufferWriter<byte>(Math.Max(initial, 1));
        var stream = request.Body;
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
