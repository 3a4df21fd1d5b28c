using System.Runtime.InteropServices;
using MedServe.Models.Buffers;

namespace MedServe.Models.Tests.Buffers;

public sealed class RequestBufferPoolTests
{
    private const int MiB = 1 << 20;

    private static byte[] ArrayOf(PooledBuffer buffer) =>
        MemoryMarshal.TryGetArray<byte>(buffer.Memory, out var segment) ? segment.Array! : throw new InvalidOperationException("not an array");

    /// <summary>Rents and gives back at once; the array is then free in the pool.</summary>
    private static byte[] RentAndReturn(RequestBufferPool pool, int length)
    {
        using var buffer = pool.Rent(length);
        return ArrayOf(buffer);
    }

    [Fact]
    public void Rent_BelowMinimum_ExactArrayThatIsNotKept()
    {
        var pool = new RequestBufferPool(minimumPooledLength: 1024);
        byte[] array;
        using (var buffer = pool.Rent(1000))
        {
            array = ArrayOf(buffer);
            Assert.Equal(1000, array.Length);
            Assert.Equal(1, pool.LentCount);
        }

        Assert.Equal(0, pool.LentCount);
        Assert.Equal(0, pool.FreeCount);
    }

    [Fact]
    public void Rent_Large_CutToTheLengthOfAnArrayRoundedToAMiB()
    {
        var pool = new RequestBufferPool();
        using var buffer = pool.Rent((2 * MiB) + 5);
        Assert.Equal((2 * MiB) + 5, buffer.Length);
        Assert.Equal((2 * MiB) + 5, buffer.Memory.Length);
        Assert.Equal((2 * MiB) + 5, buffer.Span.Length);
        Assert.Equal(3 * MiB, ArrayOf(buffer).Length);
    }

    [Fact]
    public void Rent_AfterAReturn_ReusesTheArray()
    {
        var pool = new RequestBufferPool();
        byte[] array = RentAndReturn(pool, 3 * MiB);
        Assert.Equal(1, pool.FreeCount);

        using var second = pool.Rent((2 * MiB) + 1);
        Assert.Same(array, ArrayOf(second));
        Assert.Equal((2 * MiB) + 1, second.Length);
        Assert.Equal(0, pool.FreeCount);
    }

    [Fact]
    public void Rent_LargerThanEveryFreeArray_AllocatesAnotherAndKeepsTheFreeOne()
    {
        var pool = new RequestBufferPool();
        byte[] smallArray = RentAndReturn(pool, 2 * MiB);

        using var large = pool.Rent((4 * MiB) + 1);
        Assert.NotSame(smallArray, ArrayOf(large));
        Assert.Equal((4 * MiB) + 1, large.Span.Length);
        Assert.Equal(1, pool.FreeCount);
    }

    [Fact]
    public void Rent_SeveralFree_TakesTheSmallestThatFits()
    {
        var pool = new RequestBufferPool();
        var a = pool.Rent(8 * MiB);
        var b = pool.Rent(3 * MiB);
        var c = pool.Rent(1 * MiB);
        byte[] middle = ArrayOf(b);
        a.Dispose();
        b.Dispose();
        c.Dispose();

        using var buffer = pool.Rent(2 * MiB);
        Assert.Same(middle, ArrayOf(buffer));
    }

    [Fact]
    public void Dispose_WrittenBuffer_ComesBackZeroed()
    {
        var pool = new RequestBufferPool();
        var first = pool.Rent(2 * MiB);
        first.Span.Fill(0xA5);
        first.Truncate(10); // a body shorter than announced: everything rented is still cleared
        first.Dispose();

        using var second = pool.Rent(2 * MiB);
        Assert.Equal(-1, second.Span.IndexOfAnyExcept((byte)0));
        Assert.Equal(-1, ArrayOf(second).AsSpan().IndexOfAnyExcept((byte)0));
    }

    [Fact]
    public void Dispose_BeyondMaxRetained_LetsTheSmallestGo()
    {
        var pool = new RequestBufferPool(maxRetained: 2);
        var buffers = new[] { pool.Rent(1 * MiB), pool.Rent(5 * MiB), pool.Rent(3 * MiB) };
        foreach (var buffer in buffers)
        {
            buffer.Dispose();
        }

        Assert.Equal(2, pool.FreeCount);
        Assert.Equal(8L * MiB, pool.FreeBytes);
    }

    [Fact]
    public void Dispose_Twice_GivesBackOnce()
    {
        var pool = new RequestBufferPool();
        var buffer = pool.Rent(2 * MiB);
        buffer.Dispose();
        buffer.Dispose();
        Assert.Equal(1, pool.FreeCount);
        Assert.Equal(0, pool.LentCount);
    }

    [Fact]
    public void Memory_AfterDispose_Throws()
    {
        var pool = new RequestBufferPool();
        var buffer = pool.Rent(2 * MiB);
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => buffer.Memory);
        Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
    }

    [Fact]
    public void Truncate_LongerThanTheLength_Throws()
    {
        using var buffer = new RequestBufferPool().Rent(10);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Truncate(11));
        buffer.Truncate(4);
        Assert.Equal(4, buffer.Memory.Length);
    }
}
