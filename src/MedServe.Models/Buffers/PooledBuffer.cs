namespace MedServe.Models.Buffers;

/// <summary>
/// A buffer lent by <see cref="RequestBufferPool.Rent"/>: exactly <see cref="Length"/> bytes of an array
/// that may be longer. Dispose it once nothing reads it any more (a pooled array goes back, zeroed);
/// using it afterwards throws.
/// </summary>
public sealed class PooledBuffer : IDisposable
{
    private readonly RequestBufferPool _pool;
    private readonly int _rented;
    private readonly bool _pooled;
    private byte[]? _array;

    internal PooledBuffer(RequestBufferPool pool, byte[] array, int length, bool pooled)
    {
        _pool = pool;
        _pooled = pooled;
        _array = array;
        _rented = length;
        Length = length;
    }

    /// <summary>The number of bytes lent (or kept by <see cref="Truncate"/>).</summary>
    public int Length { get; private set; }

    /// <summary>The bytes, cut to <see cref="Length"/>.</summary>
    /// <exception cref="ObjectDisposedException">The buffer was given back.</exception>
    public Memory<byte> Memory => Live().AsMemory(0, Length);

    /// <summary>The bytes, cut to <see cref="Length"/>.</summary>
    /// <exception cref="ObjectDisposedException">The buffer was given back.</exception>
    public Span<byte> Span => Live().AsSpan(0, Length);

    /// <summary>Keeps only the first <paramref name="length"/> bytes (a body shorter than announced).</summary>
    /// <param name="length">0 to <see cref="Length"/>.</param>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Length);
        Length = length;
    }

    /// <summary>Gives the array back to its pool; a second call does nothing.</summary>
    public void Dispose()
    {
        byte[]? array = Interlocked.Exchange(ref _array, null);
        if (array is not null)
        {
            _pool.Return(array, _rented, _pooled);
        }
    }

    private byte[] Live() => _array ?? throw new ObjectDisposedException(nameof(PooledBuffer));
}
