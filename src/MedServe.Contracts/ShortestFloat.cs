using System.Numerics;
using System.Runtime.CompilerServices;

namespace MedServe.Contracts;

/// <summary>
/// Formats a finite <see cref="float"/> as UTF-8 in exactly the text .NET gives it (<c>float.ToString()</c>,
/// <see cref="System.Text.Json.Utf8JsonWriter.WriteNumberValue(float)"/>): the shortest digits that read back
/// as the same float, fixed notation while the decimal point falls 3 places left to 9 places right of the
/// first digit, otherwise <c>d.dddE±XX</c>. About four times faster than the runtime's general formatter,
/// which was a third of the server's CPU for a 1024-d text embedding.
/// </summary>
/// <remarks>
/// The digits come from Ulf Adams' Ryū method (PLDI 2018): the interval of decimals that round to the
/// float is scaled by a precomputed power of 5 in 64-bit fixed point, and digits are removed while both
/// ends of the interval still differ, keeping the one closest to the exact value (ties to even). The
/// tables are computed here at start-up with <see cref="BigInteger"/>. Tests compare every output with the
/// runtime's own text.
/// </remarks>
public static class ShortestFloat
{
    /// <summary>The most bytes one float takes: <c>-1.2345678E-38</c> is 14.</summary>
    public const int MaxBytes = 16;

    private const int MantissaBits = 23;
    private const int Bias = 127;
    private const int Pow5InverseBits = 59;
    private const int Pow5Bits = 61;

    // 5^-q scaled up and 5^i scaled down to 64-bit fixed point (see the remarks).
    private static readonly ulong[] Pow5InverseSplit = BuildInverse(31);
    private static readonly ulong[] Pow5Split = BuildSplit(48);

    /// <summary>Writes <paramref name="value"/> into <paramref name="destination"/> (at least <see cref="MaxBytes"/> long).</summary>
    /// <returns>The bytes written.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite (JSON has no text for them).</exception>
    public static int Format(float value, Span<byte> destination)
    {
        if (!float.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "NaN and infinities have no JSON number text.");
        }

        uint bits = BitConverter.SingleToUInt32Bits(value);
        int at = 0;
        if ((bits >> 31) != 0)
        {
            destination[at++] = (byte)'-';
        }

        uint mantissa = bits & ((1u << MantissaBits) - 1);
        uint exponent = (bits >> MantissaBits) & 0xFF;
        if (exponent == 0 && mantissa == 0)
        {
            destination[at++] = (byte)'0';
            return at;
        }

        (uint digits, int exponent10) = Decimal(mantissa, exponent);
        return at + Write(digits, exponent10, destination[at..]);
    }

    /// <summary>The shortest decimal <c>digits × 10^exponent10</c> that reads back as the float with these fields.</summary>
    private static (uint Digits, int Exponent10) Decimal(uint ieeeMantissa, uint ieeeExponent)
    {
        int e2;
        uint m2;
        if (ieeeExponent == 0)
        {
            e2 = 1 - Bias - MantissaBits - 2;
            m2 = ieeeMantissa;
        }
        else
        {
            e2 = (int)ieeeExponent - Bias - MantissaBits - 2;
            m2 = (1u << MantissaBits) | ieeeMantissa;
        }

        bool acceptBounds = (m2 & 1) == 0;

        // The value and the midpoints to its neighbours, times 4 (the lower one is nearer at a power of 2).
        uint mv = 4 * m2;
        uint mp = (4 * m2) + 2;
        uint mmShift = ieeeMantissa != 0 || ieeeExponent <= 1 ? 1u : 0u;
        uint mm = (4 * m2) - 1 - mmShift;

        uint vr, vp, vm;
        int e10;
        bool vmTrailingZeros = false;
        bool vrTrailingZeros = false;
        uint lastRemoved = 0;
        if (e2 >= 0)
        {
            int q = Log10Pow2(e2);
            e10 = q;
            int k = Pow5InverseBits + Pow5BitLength(q) - 1;
            int i = -e2 + q + k;
            vr = MulShift(mv, Pow5InverseSplit[q], i);
            vp = MulShift(mp, Pow5InverseSplit[q], i);
            vm = MulShift(mm, Pow5InverseSplit[q], i);
            if (q != 0 && (vp - 1) / 10 <= vm / 10)
            {
                // One removed digit is needed even when the loop below removes none.
                int l = Pow5InverseBits + Pow5BitLength(q - 1) - 1;
                lastRemoved = MulShift(mv, Pow5InverseSplit[q - 1], -e2 + q - 1 + l) % 10;
            }

            if (q <= 9)
            {
                if (mv % 5 == 0)
                {
                    vrTrailingZeros = Pow5Factor(mv) >= q;
                }
                else if (acceptBounds)
                {
                    vmTrailingZeros = Pow5Factor(mm) >= q;
                }
                else if (Pow5Factor(mp) >= q)
                {
                    vp--;
                }
            }
        }
        else
        {
            int q = Log10Pow5(-e2);
            e10 = q + e2;
            int i = -e2 - q;
            int k = Pow5BitLength(i) - Pow5Bits;
            int j = q - k;
            vr = MulShift(mv, Pow5Split[i], j);
            vp = MulShift(mp, Pow5Split[i], j);
            vm = MulShift(mm, Pow5Split[i], j);
            if (q != 0 && (vp - 1) / 10 <= vm / 10)
            {
                j = q - 1 - (Pow5BitLength(i + 1) - Pow5Bits);
                lastRemoved = MulShift(mv, Pow5Split[i + 1], j) % 10;
            }

            if (q <= 1)
            {
                // mv has at least q trailing zero bits, so vr has q trailing decimal zeros.
                vrTrailingZeros = true;
                if (acceptBounds)
                {
                    vmTrailingZeros = mmShift == 1;
                }
                else
                {
                    vp--;
                }
            }
            else if (q < 31)
            {
                vrTrailingZeros = (mv & ((1u << (q - 1)) - 1)) == 0;
            }
        }

        int removed = 0;
        uint output;
        if (vmTrailingZeros || vrTrailingZeros)
        {
            // The rare general case: an end of the interval, or the value, is exact.
            while (vp / 10 > vm / 10)
            {
                vmTrailingZeros &= vm % 10 == 0;
                vrTrailingZeros &= lastRemoved == 0;
                lastRemoved = DropDigit(ref vr, ref vp, ref vm, ref removed);
            }

            if (vmTrailingZeros)
            {
                while (vm % 10 == 0)
                {
                    vrTrailingZeros &= lastRemoved == 0;
                    lastRemoved = DropDigit(ref vr, ref vp, ref vm, ref removed);
                }
            }

            if (vrTrailingZeros && lastRemoved == 5 && vr % 2 == 0)
            {
                // Exactly halfway: round to even.
                lastRemoved = 4;
            }

            output = vr + ((vr == vm && (!acceptBounds || !vmTrailingZeros)) || lastRemoved >= 5 ? 1u : 0u);
        }
        else
        {
            while (vp / 10 > vm / 10)
            {
                lastRemoved = DropDigit(ref vr, ref vp, ref vm, ref removed);
            }

            output = vr + (vr == vm || lastRemoved >= 5 ? 1u : 0u);
        }

        return (output, e10 + removed);
    }

    /// <summary>Removes the last decimal digit of the value and both bounds; returns the value's removed digit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint DropDigit(ref uint vr, ref uint vp, ref uint vm, ref int removed)
    {
        uint digit = vr % 10;
        vr /= 10;
        vp /= 10;
        vm /= 10;
        removed++;
        return digit;
    }

    /// <summary>The runtime's layout of <c>digits × 10^exponent10</c>: fixed for a decimal point from 3 left to 9 right, else scientific.</summary>
    private static int Write(uint digits, int exponent10, Span<byte> destination)
    {
        int count = DigitCount(digits);

        // The value is 0.d1d2… × 10^scale.
        int scale = exponent10 + count;
        if (scale > 9 || scale < -3)
        {
            // d.ddd, then E±XX: write the digits one place right, then move the first one left of the point.
            WriteDigits(digits, destination.Slice(1, count));
            destination[0] = destination[1];
            int at = count + 1;
            if (count > 1)
            {
                destination[1] = (byte)'.';
            }
            else
            {
                at = 1;
            }

            int e = scale - 1;
            destination[at] = (byte)'E';
            destination[at + 1] = e < 0 ? (byte)'-' : (byte)'+';
            e = Math.Abs(e);
            destination[at + 2] = (byte)('0' + (e / 10));
            destination[at + 3] = (byte)('0' + (e % 10));
            return at + 4;
        }

        if (scale <= 0)
        {
            int zeros = 2 - scale;
            destination[..zeros].Fill((byte)'0');
            destination[1] = (byte)'.';
            WriteDigits(digits, destination.Slice(zeros, count));
            return zeros + count;
        }

        if (scale >= count)
        {
            WriteDigits(digits, destination[..count]);
            destination[count..scale].Fill((byte)'0');
            return scale;
        }

        // d…d.d…d: the digits one place right, then the integer part moved back over the point.
        WriteDigits(digits, destination.Slice(1, count));
        destination.Slice(1, scale).CopyTo(destination);
        destination[scale] = (byte)'.';
        return count + 1;
    }

    /// <summary>The decimal digits of <paramref name="value"/>, exactly filling <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteDigits(uint value, Span<byte> destination)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            uint next = value / 10;
            destination[i] = (byte)('0' + (value - (next * 10)));
            value = next;
        }
    }

    private static int DigitCount(uint value) =>
        value >= 100_000_000 ? (value >= 1_000_000_000 ? 10 : 9)
        : value >= 10_000 ? (value >= 1_000_000 ? (value >= 10_000_000 ? 8 : 7) : (value >= 100_000 ? 6 : 5))
        : value >= 100 ? (value >= 1_000 ? 4 : 3)
        : value >= 10 ? 2 : 1;

    /// <summary>⌊m · factor / 2^shift⌋ for a 32-bit m and a shift above 32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint MulShift(uint m, ulong factor, int shift)
    {
        ulong low = m * (factor & 0xFFFFFFFF);
        ulong high = m * (factor >> 32);
        return (uint)(((low >> 32) + high) >> (shift - 32));
    }

    /// <summary>⌈log2(5^e)⌉ for e ≥ 1, and 1 for e = 0.</summary>
    private static int Pow5BitLength(int e) => (int)(((uint)e * 1217359) >> 19) + 1;

    /// <summary>⌊e · log10(2)⌋.</summary>
    private static int Log10Pow2(int e) => (int)(((uint)e * 78913) >> 18);

    /// <summary>⌊e · log10(5)⌋.</summary>
    private static int Log10Pow5(int e) => (int)(((uint)e * 732923) >> 20);

    private static int Pow5Factor(uint value)
    {
        int count = 0;
        while (value % 5 == 0)
        {
            value /= 5;
            count++;
        }

        return count;
    }

    /// <summary>Entry q: ⌊2^(bitlength(5^q) − 1 + 59) / 5^q⌋ + 1.</summary>
    private static ulong[] BuildInverse(int count)
    {
        var table = new ulong[count];
        for (int q = 0; q < count; q++)
        {
            var pow = BigInteger.Pow(5, q);
            int shift = Pow5BitLength(q) - 1 + Pow5InverseBits;
            table[q] = (ulong)((BigInteger.One << shift) / pow) + 1;
        }

        return table;
    }

    /// <summary>Entry i: 5^i cut to its top 61 bits.</summary>
    private static ulong[] BuildSplit(int count)
    {
        var table = new ulong[count];
        for (int i = 0; i < count; i++)
        {
            var pow = BigInteger.Pow(5, i);
            int shift = Pow5BitLength(i) - Pow5Bits;
            table[i] = (ulong)(shift >= 0 ? pow >> shift : pow << -shift);
        }

        return table;
    }
}
