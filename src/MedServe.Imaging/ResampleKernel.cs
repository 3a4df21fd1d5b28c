namespace MedServe.Imaging;

/// <summary>
/// Fixed-point filter weights for one axis of a resize, laid out as Pillow's <c>precompute_coeffs</c>
/// and <c>normalize_coeffs_8bpc</c> produce them: for each output index a first source index, a tap
/// count, and <see cref="Taps"/> integer weights in 1/2^22 units (unused tail weights are zero).
/// </summary>
internal sealed class ResampleKernel
{
    /// <summary>Pillow's <c>PRECISION_BITS</c> for 8-bit images: 32 − 8 − 2.</summary>
    public const int PrecisionBits = 32 - 8 - 2;

    private ResampleKernel(int taps, int[] first, int[] count, int[] weights)
    {
        Taps = taps;
        First = first;
        Count = count;
        Weights = weights;
    }

    /// <summary>Weights stored per output index (Pillow's <c>ksize</c>).</summary>
    public int Taps { get; }

    /// <summary>First source index contributing to each output index.</summary>
    public int[] First { get; }

    /// <summary>Number of source indices contributing to each output index.</summary>
    public int[] Count { get; }

    /// <summary><c>Taps</c> weights per output index, in units of 2^-<see cref="PrecisionBits"/>.</summary>
    public int[] Weights { get; }

    /// <summary>Builds the kernel for resizing <paramref name="inSize"/> samples to <paramref name="outSize"/>.</summary>
    public static ResampleKernel Create(int inSize, int outSize, ResampleFilter filter)
    {
        double baseSupport = filter == ResampleFilter.Bicubic ? 2.0 : 1.0;

        // The same double arithmetic, in the same order, as Pillow: any reordering can move a weight
        // across a rounding boundary and change an output sample by one.
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = baseSupport * filterScale;
        int taps = ((int)Math.Ceiling(support) * 2) + 1;
        double invFilterScale = 1.0 / filterScale;

        var first = new int[outSize];
        var count = new int[outSize];
        var weights = new int[outSize * taps];
        Span<double> k = taps <= 256 ? stackalloc double[taps] : new double[taps];
        for (int xx = 0; xx < outSize; xx++)
        {
            double center = (xx + 0.5) * scale;
            int xmin = (int)(center - support + 0.5);
            if (xmin < 0)
            {
                xmin = 0;
            }

            int xmax = (int)(center + support + 0.5);
            if (xmax > inSize)
            {
                xmax = inSize;
            }

            xmax -= xmin;
            double sum = 0.0;
            for (int x = 0; x < xmax; x++)
            {
                double w = Evaluate(filter, (x + xmin - center + 0.5) * invFilterScale);
                k[x] = w;
                sum += w;
            }

            Span<int> row = weights.AsSpan(xx * taps, taps);
            for (int x = 0; x < xmax; x++)
            {
                double w = sum != 0.0 ? k[x] / sum : k[x];
                row[x] = w < 0
                    ? (int)(-0.5 + (w * (1 << PrecisionBits)))
                    : (int)(0.5 + (w * (1 << PrecisionBits)));
            }

            first[xx] = xmin;
            count[xx] = xmax;
        }

        return new ResampleKernel(taps, first, count, weights);
    }

    private static double Evaluate(ResampleFilter filter, double x)
    {
        if (x < 0.0)
        {
            x = -x;
        }

        if (filter == ResampleFilter.Bilinear)
        {
            return x < 1.0 ? 1.0 - x : 0.0;
        }

        // Keys cubic convolution with a = -0.5, written as Pillow writes it.
        const double A = -0.5;
        if (x < 1.0)
        {
            return ((((A + 2.0) * x) - (A + 3.0)) * x * x) + 1;
        }

        if (x < 2.0)
        {
            return ((((((x - 5) * x) + 8) * x) - 4) * A);
        }

        return 0.0;
    }
}
