using MedServe.Onnx.Synthetic;
using Microsoft.ML.OnnxRuntime;

namespace MedServe.Onnx.Tests.Synthetic;

public sealed class SyntheticMedImageParseTests
{
    private const float Tolerance = 1e-4f;
    private const int Context = SyntheticMedImageParse.ContextLength;
    private const int SmallImage = 64;
    private const int SmallDim = 32;
    private const int SmallQueries = 8;
    private const int SmallMask = 16;

    [Theory]
    [InlineData(SmallImage, SmallDim, SmallMask)]
    [InlineData(SyntheticMedImageParse.DefaultImageSize, SyntheticMedImageParse.DefaultEmbeddingDim, SyntheticMedImageParse.DefaultMaskSize)]
    public void ImageEncoderBytes_Sizes_OrtMatchesReference(int size, int dim, int maskSize)
    {
        float[] pixels = Image(size);

        Dictionary<string, OrtOutput<float>> outputs = RunAll(
            SyntheticMedImageParse.ImageEncoderBytes(size, dim, maskSize),
            new OrtInput(SyntheticMedImageParse.PixelValues, pixels, [1, 3, size, size]));

        OrtOutput<float> features = outputs[SyntheticMedImageParse.ImageFeatures];
        OrtOutput<float> maskFeatures = outputs[SyntheticMedImageParse.MaskFeatures];
        Assert.Equal([1L, dim], features.Shape);
        Assert.Equal([1L, 1, maskSize, maskSize], maskFeatures.Shape);
        AssertClose(SyntheticMedImageParse.ExpectedImageFeatures(pixels, size, dim), features.Data);
        AssertClose(SyntheticMedImageParse.ExpectedMaskFeatures(pixels, size, maskSize), maskFeatures.Data);
    }

    [Fact]
    public void ImageEncoderBytes_SymbolicBatchOfThree_EachRowMatchesItsReference()
    {
        const int plane = 3 * SmallImage * SmallImage;
        float[][] images = [.. Enumerable.Range(0, 3).Select(i => Image(SmallImage).Select(v => v * (i + 1) * 0.5f).ToArray())];

        Dictionary<string, OrtOutput<float>> outputs = RunAll(
            SyntheticMedImageParse.ImageEncoderBytes(SmallImage, SmallDim, SmallMask, batchDim: SyntheticMedImageParse.BatchDim),
            new OrtInput(SyntheticMedImageParse.PixelValues, images.SelectMany(i => i).ToArray(), [3, 3, SmallImage, SmallImage]));

        OrtOutput<float> features = outputs[SyntheticMedImageParse.ImageFeatures];
        OrtOutput<float> maskFeatures = outputs[SyntheticMedImageParse.MaskFeatures];
        Assert.Equal([3L, SmallDim], features.Shape);
        Assert.Equal([3L, 1, SmallMask, SmallMask], maskFeatures.Shape);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(plane, images[i].Length);
            AssertClose(SyntheticMedImageParse.ExpectedImageFeatures(images[i], SmallImage, SmallDim), features.Data.AsSpan(i * SmallDim, SmallDim).ToArray());
            int maskLength = SmallMask * SmallMask;
            AssertClose(SyntheticMedImageParse.ExpectedMaskFeatures(images[i], SmallImage, SmallMask), maskFeatures.Data.AsSpan(i * maskLength, maskLength).ToArray());
        }
    }

    [Theory]
    [InlineData(OnnxElementType.Float, null)]
    [InlineData(OnnxElementType.Float16, SyntheticMedImageParse.BatchDim)]
    public void ImageEncoderBytes_PrecisionAndBatch_OrtReadsBackTheSignature(OnnxElementType floatType, string? batchDim)
    {
        OnnxModelSignature signature = SyntheticMedImageParse.ImageEncoderSignature(SmallImage, SmallDim, SmallMask, floatType, batchDim);

        using InferenceSession session = OrtTestRunner.Load(SyntheticMedImageParse.ImageEncoderBytes(SmallImage, SmallDim, SmallMask, floatType, batchDim));

        Assert.Equal(batchDim is null ? 1 : -1, session.InputMetadata[SyntheticMedImageParse.PixelValues].Dimensions[0]);
        Assert.All(signature.Inputs.Concat(signature.Outputs), t => Assert.Equal(floatType, t.ElementType));
        var expectedType = floatType == OnnxElementType.Float ? typeof(float) : typeof(Float16);
        Assert.All(session.InputMetadata.Values.Concat(session.OutputMetadata.Values), m => Assert.Equal(expectedType, m.ElementType));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void TextEncoderBytes_SmallDim_ClassEmbedsAreBasisOfFirstContentToken(int prompts)
    {
        long[] firstTokens = [49405, 3, 12];
        (long[] ids, long[] eos) = Prompts(firstTokens.AsSpan(0, prompts));

        Dictionary<string, OrtOutput<float>> outputs = RunTextEncoder(SmallDim, SmallQueries, ids, eos);

        OrtOutput<float> classEmbeds = outputs[SyntheticMedImageParse.ClassEmbeds];
        Assert.Equal([prompts, (long)SmallDim], classEmbeds.Shape);
        for (int n = 0; n < prompts; n++)
        {
            int k = SyntheticMedImageParse.ExpectedQueryForPrompt(firstTokens[n], SmallQueries);
            Assert.Equal(Basis(SmallDim, k), classEmbeds.Data.AsSpan(n * SmallDim, SmallDim).ToArray());
        }

        OrtOutput<float> tokenEmbeds = outputs[SyntheticMedImageParse.TokenEmbeds];
        Assert.Equal([prompts, Context, (long)SmallDim], tokenEmbeds.Shape);
        for (int n = 0; n < prompts; n++)
        {
            for (int t = 0; t < Context; t++)
            {
                float[] expected = new float[SmallDim];
                if (t <= eos[n])
                {
                    expected[(int)(ids[(n * Context) + t] % SmallDim)] = SyntheticMedImageParse.TokenEmbedScale;
                }

                Assert.Equal(expected, tokenEmbeds.Data.AsSpan(((n * Context) + t) * SmallDim, SmallDim).ToArray());
            }
        }
    }

    [Fact]
    public void TextEncoderBytes_Defaults_ClassEmbedsPickFirstContentTokenModQueries()
    {
        const int dim = SyntheticMedImageParse.DefaultEmbeddingDim;
        const int queries = SyntheticMedImageParse.DefaultQueryCount;
        long[] firstTokens = [0, 100, 101, 202, 1000, 49406, 321];
        (long[] ids, long[] eos) = Prompts(firstTokens);

        OrtOutput<float> classEmbeds = RunTextEncoder(dim, queries, ids, eos)[SyntheticMedImageParse.ClassEmbeds];

        int[] expectedQueries = [0, 100, 0, 0, 91, 17, 18];
        for (int n = 0; n < firstTokens.Length; n++)
        {
            Assert.Equal(expectedQueries[n], SyntheticMedImageParse.ExpectedQueryForPrompt(firstTokens[n]));
            Assert.Equal(Basis(dim, expectedQueries[n]), classEmbeds.Data.AsSpan(n * dim, dim).ToArray());
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(20)]
    public void DecoderBytes_SmallSizes_OrtMatchesReference(int tokens)
    {
        AssertDecoder(SmallDim, SmallQueries, SmallMask, tokens);
    }

    [Fact]
    public void DecoderBytes_Defaults_OrtMatchesReference()
    {
        AssertDecoder(SyntheticMedImageParse.DefaultEmbeddingDim, SyntheticMedImageParse.DefaultQueryCount, SyntheticMedImageParse.DefaultMaskSize, 5);
    }

    [Theory]
    [InlineData(SyntheticMedImageParse.ImageFeatures)]
    [InlineData(SyntheticMedImageParse.MaskFeatures)]
    [InlineData(SyntheticMedImageParse.GroundingTokens)]
    public void DecoderBytes_NaNInAnInput_ReachesEveryOutput(string inputName)
    {
        // The zero-weighted input term is really computed (not folded away): NaN · 0 is NaN.
        Dictionary<string, OrtOutput<float>> outputs = RunDecoder(SmallDim, SmallQueries, SmallMask, 3, inputName);

        Assert.All(outputs.Values, output => Assert.All(output.Data, v => Assert.True(float.IsNaN(v))));
    }

    [Fact]
    public void Pipeline_SmallSizes_PromptSelectsQueryOfFirstContentToken()
    {
        long[] firstTokens = [5, 10, 23];
        (long[] ids, long[] eos) = Prompts(firstTokens);
        OrtOutput<float> classEmbeds = RunTextEncoder(SmallDim, SmallQueries, ids, eos)[SyntheticMedImageParse.ClassEmbeds];
        OrtOutput<float> captions = RunDecoder(SmallDim, SmallQueries, SmallMask, 7)[SyntheticMedImageParse.PredCaptions];

        for (int n = 0; n < firstTokens.Length; n++)
        {
            ReadOnlySpan<float> prompt = classEmbeds.Data.AsSpan(n * SmallDim, SmallDim);
            int best = -1;
            double bestScore = double.NegativeInfinity;
            for (int q = 0; q < SmallQueries; q++)
            {
                double score = Cosine(prompt, captions.Data.AsSpan(q * SmallDim, SmallDim));
                if (score > bestScore)
                {
                    (best, bestScore) = (q, score);
                }
            }

            Assert.Equal(SyntheticMedImageParse.ExpectedQueryForPrompt(firstTokens[n], SmallQueries), best);
            Assert.Equal(1.0, bestScore, 1e-6);
        }
    }

    [Fact]
    public void ImageEncoderBytes_Signature_OrtReadsBackSameNamesTypesAndDims()
    {
        OnnxModelSignature signature = SyntheticMedImageParse.ImageEncoderSignature(SmallImage, SmallDim, SmallMask);

        using InferenceSession session = OrtTestRunner.Load(SyntheticMedImageParse.ImageEncoderBytes(SmallImage, SmallDim, SmallMask));

        AssertSignature(signature, session, SyntheticMedImageParse.ImageEncoderGraph);
    }

    [Fact]
    public void TextEncoderBytes_Signature_OrtReadsBackSameNamesTypesAndDims()
    {
        OnnxModelSignature signature = SyntheticMedImageParse.TextEncoderSignature(SmallDim);

        using InferenceSession session = OrtTestRunner.Load(SyntheticMedImageParse.TextEncoderBytes(SmallDim, SmallQueries));

        AssertSignature(signature, session, SyntheticMedImageParse.TextEncoderGraph);
        Assert.Equal(SyntheticMedImageParse.PromptDim, session.InputMetadata[SyntheticMedImageParse.InputIds].SymbolicDimensions[0]);
    }

    [Theory]
    [InlineData(SmallDim, SmallQueries, SmallMask)]
    [InlineData(SyntheticMedImageParse.DefaultEmbeddingDim, SyntheticMedImageParse.DefaultQueryCount, SyntheticMedImageParse.DefaultMaskSize)]
    public void DecoderBytes_Signature_OrtReadsBackSameNamesTypesAndDims(int dim, int queries, int maskSize)
    {
        OnnxModelSignature signature = SyntheticMedImageParse.DecoderSignature(dim, queries, maskSize);

        using InferenceSession session = OrtTestRunner.Load(SyntheticMedImageParse.DecoderBytes(dim, queries, maskSize));

        AssertSignature(signature, session, SyntheticMedImageParse.DecoderGraph);
        Assert.Equal([-1, 1, dim], session.InputMetadata[SyntheticMedImageParse.GroundingTokens].Dimensions);
        Assert.Equal([1, queries, maskSize, maskSize], session.OutputMetadata[SyntheticMedImageParse.PredMasks].Dimensions);
    }

    [Fact]
    public void DefaultSignatures_MatchDesignShapes()
    {
        OnnxModelSignature image = SyntheticMedImageParse.ImageEncoderSignature();
        OnnxModelSignature text = SyntheticMedImageParse.TextEncoderSignature();
        OnnxModelSignature decoder = SyntheticMedImageParse.DecoderSignature();

        Assert.Equal("1,3,1024,1024", Shape(image.Inputs[0]));
        Assert.Equal("1,512|1,1,256,256", string.Join('|', image.Outputs.Select(Shape)));
        Assert.Equal("N,77|N", string.Join('|', text.Inputs.Select(Shape)));
        Assert.Equal("N,77,512|N,512", string.Join('|', text.Outputs.Select(Shape)));
        Assert.Equal("1,512|1,1,256,256|T,1,512", string.Join('|', decoder.Inputs.Select(Shape)));
        Assert.Equal("1,101,256,256|1,101,512|1,101,17", string.Join('|', decoder.Outputs.Select(Shape)));
    }

    [Theory]
    [InlineData(SmallMask, SmallQueries)]
    [InlineData(SyntheticMedImageParse.DefaultMaskSize, SyntheticMedImageParse.DefaultQueryCount)]
    [InlineData(64, 16)]
    public void MaskRectangle_AllQueries_DisjointInsideMaskWiderThanTall(int maskSize, int queries)
    {
        var owner = new int[maskSize * maskSize];
        for (int q = 0; q < queries; q++)
        {
            (int x0, int y0, int x1, int y1) = SyntheticMedImageParse.MaskRectangle(q, maskSize, queries);
            Assert.InRange(x0, 1, maskSize);
            Assert.InRange(y0, 1, maskSize);
            Assert.InRange(x1, x0 + 2, maskSize - 1);
            Assert.InRange(y1, y0 + 1, maskSize - 1);
            Assert.True(x1 - x0 > y1 - y0, $"query {q}: {x1 - x0}×{y1 - y0} is not wider than tall");
            for (int y = y0 - 1; y <= y1; y++)
            {
                for (int x = x0 - 1; x <= x1; x++)
                {
                    // A one-pixel ring around each rectangle belongs to nobody else.
                    Assert.Equal(0, owner[(y * maskSize) + x]);
                    owner[(y * maskSize) + x] = q + 1;
                }
            }
        }
    }

    [Fact]
    public void MaskRectangle_DefaultSizes_FollowsDocumentedFormula()
    {
        // G = 11, cell = 23, margin = 3, width = 17, height = 9.
        Assert.Equal((3, 3, 20, 12), SyntheticMedImageParse.MaskRectangle(0));
        Assert.Equal((26, 3, 43, 12), SyntheticMedImageParse.MaskRectangle(1));
        Assert.Equal((3, 26, 20, 35), SyntheticMedImageParse.MaskRectangle(11));
        Assert.Equal((26, 210, 43, 219), SyntheticMedImageParse.MaskRectangle(100)); // row 9, column 1
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(15, 15)]
    [InlineData(16, 0)]
    [InlineData(100, 4)]
    public void ExpectedCategoryIndex_Query_IsQueryModSixteen(int query, int expected)
    {
        Assert.Equal(expected, SyntheticMedImageParse.ExpectedCategoryIndex(query));
    }

    [Fact]
    public void ExpectedQueryForPrompt_NegativeToken_IsNonNegative()
    {
        Assert.Equal(100, SyntheticMedImageParse.ExpectedQueryForPrompt(-1));
    }

    [Fact]
    public void DecoderBytes_MoreQueriesThanDims_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticMedImageParse.DecoderBytes(dim: 8, queryCount: 9, maskSize: 64));
    }

    [Fact]
    public void DecoderBytes_MaskTooSmallForGrid_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticMedImageParse.DecoderBytes(dim: 32, queryCount: 8, maskSize: 11));
    }

    [Fact]
    public void ImageEncoderBytes_SizeNotMultipleOfMask_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticMedImageParse.ImageEncoderBytes(60, 8, 16));
    }

    private static void AssertDecoder(int dim, int queries, int maskSize, int tokens)
    {
        Dictionary<string, OrtOutput<float>> outputs = RunDecoder(dim, queries, maskSize, tokens);

        OrtOutput<float> masks = outputs[SyntheticMedImageParse.PredMasks];
        OrtOutput<float> captions = outputs[SyntheticMedImageParse.PredCaptions];
        OrtOutput<float> logits = outputs[SyntheticMedImageParse.PredLogits];
        Assert.Equal([1L, queries, maskSize, maskSize], masks.Shape);
        Assert.Equal([1L, queries, dim], captions.Shape);
        Assert.Equal([1L, queries, SyntheticMedImageParse.ClassCount], logits.Shape);

        int plane = maskSize * maskSize;
        var expectedMask = new float[plane];
        var expectedLogits = new float[SyntheticMedImageParse.ClassCount];
        for (int q = 0; q < queries; q++)
        {
            (int x0, int y0, int x1, int y1) = SyntheticMedImageParse.MaskRectangle(q, maskSize, queries);
            for (int y = 0; y < maskSize; y++)
            {
                for (int x = 0; x < maskSize; x++)
                {
                    bool inside = x >= x0 && x < x1 && y >= y0 && y < y1;
                    expectedMask[(y * maskSize) + x] = inside ? SyntheticMedImageParse.MaskInsideLogit : SyntheticMedImageParse.MaskOutsideLogit;
                }
            }

            Assert.Equal(expectedMask, masks.Data.AsSpan(q * plane, plane).ToArray());
            Assert.Equal(Basis(dim, q), captions.Data.AsSpan(q * dim, dim).ToArray());

            Array.Clear(expectedLogits);
            expectedLogits[SyntheticMedImageParse.ExpectedCategoryIndex(q)] = SyntheticMedImageParse.CategoryLogit;
            ReadOnlySpan<float> row = logits.Data.AsSpan(q * SyntheticMedImageParse.ClassCount, SyntheticMedImageParse.ClassCount);
            Assert.Equal(expectedLogits, row.ToArray());
            Assert.True(row[SyntheticMedImageParse.BackgroundClass] < row[SyntheticMedImageParse.ExpectedCategoryIndex(q)]);
        }
    }

    private static Dictionary<string, OrtOutput<float>> RunDecoder(int dim, int queries, int maskSize, int tokens, string? nanInput = null)
    {
        var random = new Random(7);
        float[] imageFeatures = [.. Enumerable.Range(0, dim).Select(_ => (float)random.NextDouble())];
        float[] maskFeatures = [.. Enumerable.Range(0, maskSize * maskSize).Select(_ => (float)(random.NextDouble() - 0.5))];
        float[] grounding = [.. Enumerable.Range(0, tokens * dim).Select(_ => (float)(random.NextDouble() * 0.02))];
        float[]? poisoned = nanInput switch
        {
            SyntheticMedImageParse.ImageFeatures => imageFeatures,
            SyntheticMedImageParse.MaskFeatures => maskFeatures,
            SyntheticMedImageParse.GroundingTokens => grounding,
            _ => null,
        };
        if (poisoned is not null)
        {
            poisoned[^1] = float.NaN;
        }

        return RunAll(
            SyntheticMedImageParse.DecoderBytes(dim, queries, maskSize),
            new OrtInput(SyntheticMedImageParse.ImageFeatures, imageFeatures, [1, dim]),
            new OrtInput(SyntheticMedImageParse.MaskFeatures, maskFeatures, [1, 1, maskSize, maskSize]),
            new OrtInput(SyntheticMedImageParse.GroundingTokens, grounding, [tokens, 1, dim]));
    }

    private static Dictionary<string, OrtOutput<float>> RunTextEncoder(int dim, int queries, long[] ids, long[] eos) =>
        RunAll(
            SyntheticMedImageParse.TextEncoderBytes(dim, queries),
            new OrtInput(SyntheticMedImageParse.InputIds, ids, [eos.Length, Context]),
            new OrtInput(SyntheticMedImageParse.EosIndex, eos, [eos.Length]));

    /// <summary>Runs a model once and reads back every float output by name.</summary>
    private static Dictionary<string, OrtOutput<float>> RunAll(byte[] model, params OrtInput[] inputs)
    {
        using InferenceSession session = OrtTestRunner.Load(model);
        var values = new List<OrtValue>(inputs.Length);
        try
        {
            foreach (OrtInput input in inputs)
            {
                values.Add(input.ToOrtValue());
            }

            using var runOptions = new RunOptions();
            using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(
                runOptions,
                inputs.Select(i => i.Name).ToArray(),
                values,
                session.OutputNames);
            var result = new Dictionary<string, OrtOutput<float>>(StringComparer.Ordinal);
            int index = 0;
            foreach (OrtValue output in outputs)
            {
                result[session.OutputNames[index++]] = new OrtOutput<float>(
                    output.GetTensorDataAsSpan<float>().ToArray(),
                    output.GetTensorTypeAndShape().Shape);
            }

            return result;
        }
        finally
        {
            foreach (OrtValue value in values)
            {
                value.Dispose();
            }
        }
    }

    private static void AssertSignature(OnnxModelSignature signature, InferenceSession session, string graphName)
    {
        Assert.Equal(signature.Inputs.Select(i => i.Name), session.InputNames);
        Assert.Equal(signature.Outputs.Select(o => o.Name), session.OutputNames);
        foreach ((OnnxTensorInfo info, NodeMetadata meta) in signature.Inputs.Select(i => (i, session.InputMetadata[i.Name]))
            .Concat(signature.Outputs.Select(o => (o, session.OutputMetadata[o.Name]))))
        {
            Assert.Equal((int)info.ElementType, (int)meta.ElementDataType);
            Assert.Equal(info.Shape.Select(d => (int)(d.Value ?? -1)), meta.Dimensions);
            Assert.Equal(info.Shape.Select(d => d.Param ?? ""), meta.SymbolicDimensions);
        }

        Assert.Equal("true", session.ModelMetadata.CustomMetadataMap[SyntheticMedImageParse.SyntheticMetadataKey]);
        Assert.Equal(graphName, session.ModelMetadata.GraphName);
    }

    private static string Shape(OnnxTensorInfo info) => string.Join(',', info.Shape);

    /// <summary>Prompts of varying length: start-of-text, the given first content token, filler, end-of-text, padding.</summary>
    private static (long[] Ids, long[] Eos) Prompts(ReadOnlySpan<long> firstTokens)
    {
        var random = new Random(42);
        var ids = new long[firstTokens.Length * Context];
        var eos = new long[firstTokens.Length];
        for (int n = 0; n < firstTokens.Length; n++)
        {
            Span<long> row = ids.AsSpan(n * Context, Context);
            row.Fill(49407);
            int length = 4 + (n * 5);
            row[0] = 49406;
            row[1] = firstTokens[n];
            for (int t = 2; t < length - 1; t++)
            {
                row[t] = random.Next(1, 49405);
            }

            row[length - 1] = 49407;
            eos[n] = length - 1;
        }

        return (ids, eos);
    }

    private static float[] Basis(int dim, int index)
    {
        var e = new float[dim];
        e[index] = 1f;
        return e;
    }

    /// <summary>A smooth, channel-dependent image with fine noise.</summary>
    private static float[] Image(int size)
    {
        var random = new Random(1234);
        var pixels = new float[3 * size * size];
        int i = 0;
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                {
                    double u = (double)x / size;
                    double v = (double)y / size;
                    pixels[i++] = (float)(Math.Sin((3 * u) + (c * v)) - (0.4 * c) + (0.2 * (random.NextDouble() - 0.5)));
                }
            }
        }

        return pixels;
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= Tolerance,
                $"component {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }
}
