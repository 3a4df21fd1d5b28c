namespace MedServe.Onnx.Synthetic;

/// <summary>
/// The deterministic weights of the synthetic encoders. Each entry is a closed-form function of its
/// position and a seed, evaluated in double precision and rounded to float:
/// <code>
/// W_s[i, j] = 0.05 · sin(1.7·s + 0.91·(i+1) + 0.53·(j+1) + 0.117·(i+1)·(j+1))
/// b_s[j]    = 0.01 · cos(2.3·s + 0.29·(j+1))
/// </code>
/// The product term gives every row its own frequency along <c>j</c>, so the rows are linearly
/// independent and the projection does not collapse different inputs onto a line (a plain
/// <c>sin(a_i + b_j)</c> matrix would have rank two). An entry depends only on <c>(s, i, j)</c>, so a
/// smaller embedding dimension yields a prefix of a larger one.
/// </summary>
public static class SyntheticWeights
{
    /// <summary>The seed of the image encoder's projection.</summary>
    public const int ImageSeed = 1;

    /// <summary>The seed of the text encoder's projection.</summary>
    public const int TextSeed = 2;

    /// <summary>The projection weight at row <paramref name="row"/> (feature) and column <paramref name="col"/> (embedding).</summary>
    /// <param name="seed">The encoder's seed.</param>
    /// <param name="row">The feature index, zero-based.</param>
    /// <param name="col">The embedding index, zero-based.</param>
    public static float Weight(int seed, int row, int col)
    {
        double i = row + 1.0;
        double j = col + 1.0;
        return (float)(0.05 * Math.Sin((1.7 * seed) + (0.91 * i) + (0.53 * j) + (0.117 * i * j)));
    }

    /// <summary>The bias of embedding component <paramref name="col"/>.</summary>
    /// <param name="seed">The encoder's seed.</param>
    /// <param name="col">The embedding index, zero-based.</param>
    public static float Bias(int seed, int col) => (float)(0.01 * Math.Cos((2.3 * seed) + (0.29 * (col + 1.0))));

    /// <summary>The row-major <c>[rows, cols]</c> weight matrix.</summary>
    /// <param name="seed">The encoder's seed.</param>
    /// <param name="rows">The number of features.</param>
    /// <param name="cols">The embedding dimension.</param>
    public static float[] WeightMatrix(int seed, int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1);
        var matrix = new float[rows * cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                matrix[(i * cols) + j] = Weight(seed, i, j);
            }
        }

        return matrix;
    }

    /// <summary>The bias vector of length <paramref name="cols"/>.</summary>
    /// <param name="seed">The encoder's seed.</param>
    /// <param name="cols">The embedding dimension.</param>
    public static float[] BiasVector(int seed, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1);
        var bias = new float[cols];
        for (int j = 0; j < cols; j++)
        {
            bias[j] = Bias(seed, j);
        }

        return bias;
    }

    /// <summary>
    /// <c>bias + featuresᵀ·W</c>, accumulated in double: the reference for the graphs' MatMul + Add.
    /// </summary>
    internal static float[] Project(int seed, ReadOnlySpan<float> features, int dim)
    {
        var result = new float[dim];
        for (int j = 0; j < dim; j++)
        {
            double sum = Bias(seed, j);
            for (int i = 0; i < features.Length; i++)
            {
                sum += (double)features[i] * Weight(seed, i, j);
            }

            result[j] = (float)sum;
        }

        return result;
    }
}
