namespace MedServe.Models.Buffers;

/// <summary>
/// Large byte arrays that requests borrow and give back — request bodies and decoded image cells — so
/// that a second large request reuses the first one's memory instead of allocating fresh arrays on the
/// large object heap while the first one's are garbage not yet collected.
/// </summary>
/// <remarks>
/// <para>
/// One shared list, not per-thread caches (<see cref="System.Buffers.ArrayPool{T}.Shared"/> parks a
/// returned array in the returning thread's slot, where a request resumed on another thread cannot
/// find it). Arrays are sized to the next MiB, not the next power of two, and a rent takes the smallest
/// free array that fits, so a 92 MB body holds 92 MB, not 128.
/// </para>
/// <para>
/// Requests below <see cref="MinimumPooledLength"/> get a new exact array: small arrays die young in
/// generation 0 and cost nothing to collect. At most <see cref="MaxRetained"/> free arrays are kept; the
/// smallest are let go first.
/// </para>
/// <para>
/// A returned array is zeroed over the length it was rented for, so every free array is all zero:
/// no request's bytes outlive it in memory that the next request is handed.
/// </para>
/// </remarks>
public sealed class RequestBufferPool
{
    private const int Granularity = 1 << 20;

    private readonly Lock _lock = new();
    private readonly List<byte[]> _free = [];
    private int _lent;

    /// <summary>Creates a pool.</summary>
    /// <param name="minimumPooledLength">The smallest length served from the pool; at least 1.</param>
    /// <param name="maxRetained">The most free arrays kept; at least 1.</param>
    public RequestBufferPool(int minimumPooledLength = 1 << 20, int maxRetained = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumPooledLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRetained, 1);
        MinimumPooledLength = minimumPooledLength;
        MaxRetained = maxRetained;
    }

    /// <summary>The pool the server and the models share.</summary>
    public static RequestBufferPool Shared { get; } = new();

    /// <summary>The smallest length served from the pool; shorter buffers are new exact arrays.</summary>
    /// <value>The default is 1 MiB.</value>
    public int MinimumPooledLength { get; }

    /// <summary>The most free arrays the pool keeps.</summary>
    /// <value>The default is 4: a body and an image cell each for two large requests in flight.</value>
    public int MaxRetained { get; }

    /// <summary>The number of buffers lent and not yet disposed (pooled or not).</summary>
    public int LentCount => Volatile.Read(ref _lent);

    /// <summary>The number of free arrays held now.</summary>
    public int FreeCount
    {
        get
        {
            lock (_lock)
            {
                return _free.Count;
            }
        }
    }

    /// <summary>Bytes held in free arrays now.</summary>
    public long FreeBytes
    {
        get
        {
            lock (_lock)
            {
                long total = 0;
                foreach (byte[] array in _free)
                {
                    total += array.Length;
                }

                return total;
            }
        }
    }

    /// <summary>
    /// Lends a zeroed buffer of exactly <paramref name="length"/> bytes (its array may be longer; use
    /// <see cref="PooledBuffer.Memory"/> or <see cref="PooledBuffer.Span"/>, which are cut to the length).
    /// Dispose it to give it back.
    /// </summary>
    /// <param name="length">The length; 0 or more, at most <see cref="Array.MaxLength"/>.</param>
    public PooledBuffer Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Array.MaxLength);
        Interlocked.Increment(ref _lent);
        if (length < MinimumPooledLength)
        {
            return new PooledBuffer(this, new byte[length], length, pooled: false);
        }

        byte[]? array = null;
        lock (_lock)
        {
            int best = -1;
            for (int i = 0; i < _free.Count; i++)
            {
                if (_free[i].Length >= length && (best < 0 || _free[i].Length < _free[best].Length))
                {
                    best = i;
                }
            }

            if (best >= 0)
            {
                array = _free[best];
                _free.RemoveAt(best);
            }
        }

        array ??= new byte[(int)Math.Min(((long)length + Granularity - 1) / Granularity * Granularity, Array.MaxLength)];
        return new PooledBuffer(this, array, length, pooled: true);
    }

    /// <summary>
    /// Ends a lease; a pooled array comes back, zeroed over the <paramref name="used"/> bytes a renter could
    /// have written.
    /// </summary>
    internal void Return(byte[] array, int used, bool pooled)
    {
        Interlocked.Decrement(ref _lent);
        if (!pooled)
        {
            return;
        }

        Array.Clear(array, 0, used);
        lock (_lock)
        {
            _free.Add(array);
            if (_free.Count > MaxRetained)
            {
                int smallest = 0;
                for (int i = 1; i < _free.Count; i++)
                {
                    if (_free[i].Length < _free[smallest].Length)
                    {
                        smallest = i;
                    }
                }

                _free.RemoveAt(smallest);
            }
        }
    }
}
