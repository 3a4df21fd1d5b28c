namespace MedServe.Imaging;

/// <summary>
/// The zlib stream of a PNG — its IDAT chunks' payloads one after the other — read in place from the
/// file's bytes, so inflating a 70 MB PNG does not first copy 70 MB of compressed data into one array.
/// </summary>
/// <remarks>
/// The bytes are a span in <see cref="PngReader.Decode"/>, which a class cannot hold; the reader pins
/// them (<c>fixed</c>) for the whole inflate and disposes this stream inside that scope. That is the only
/// reason for the pointer.
/// </remarks>
internal sealed unsafe class IdatStream(byte* file, IReadOnlyList<(int Offset, int Length)> chunks) : Stream
{
    private int _chunk;
    private int _offset;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length && _chunk < chunks.Count)
        {
            (int offset, int length) = chunks[_chunk];
            int count = Math.Min(length - _offset, buffer.Length - total);
            new ReadOnlySpan<byte>(file + offset + _offset, count).CopyTo(buffer[total..]);
            total += count;
            _offset += count;
            if (_offset == length)
            {
                _chunk++;
                _offset = 0;
            }
        }

        return total;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
