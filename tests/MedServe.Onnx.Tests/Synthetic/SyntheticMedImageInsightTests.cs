using MedServe.Onnx.Synthetic;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MedServe.Onnx.Tests.Synthetic;

public sealed class SyntheticMedImageInsightTests
{
    private const float Tolerance = 1e-4f;
    private const int Context = SyntheticMedImageInsight.ContextLength;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ImageEncoderBytes_DefaultSize_OrtMatchesReference(int batch)
    {
        const int size = SyntheticMedImageInsight.DefaultImageSize;
        const int dim = SyntheticMedImageInsight.DefaultEmbeddingDim;
        float[] pixels = Images(batch, size);

        OrtOutput<float> result = OrtTestRunner.Run<float>(
            SyntheticMedImageInsight.ImageEncoderBytes(),
            new OrtInput(SyntheticMedImageInsight.PixelValues, pixels, [batch, 3, size, size]));

        Assert.Equal([batch, (long)dim], result.Shape);
        int perImage = 3 * size * size;
        for (int b = 0; b < batch; b++)
        {
            float[] expected = SyntheticMedImageInsight.ExpectedImageEmbedding(pixels.AsSpan(b * perImage, perImage));
            AssertClose(expected, result.Data.AsSpan(b * dim, dim));
        }
    }

    [Fact]
    public void ImageEncoderBytes_SmallSizeAndDim_OrtMatchesReference()
    {
        const int size = 32;
        const int dim = 16;
        float[] pixels = Images(2, size);

        OrtOutput<float> result = OrtTestRunner.Run<float>(
            SyntheticMedImageInsight.ImageEncoderBytes(size, dim),
            new OrtInput(SyntheticMedImageInsight.PixelValues, pixels, [2, 3, size, size]));

        Assert.Equal([2L, dim], result.Shape);
        int perImage = 3 * size * size;
        for (int b = 0; b < 2; b++)
        {
            AssertClose(SyntheticMedImageInsight.ExpectedImageEmbedding(pixels.AsSpan(b * perImage, perImage), size, dim), result.Data.AsSpan(b * dim, dim));
        }
    }

    [Fact]
    public void ImageEncoderBytes_DifferentImages_EmbeddingsAreNotParallel()
    {
        const int size = 64;
        float[] pixels = Images(3, size);

        OrtOutput<float> result = OrtTestRunner.Run<float>(
            SyntheticMedImageInsight.ImageEncoderBytes(size),
            new OrtInput(SyntheticMedImageInsight.PixelValues, pixels, [3, 3, size, size]));

        const int dim = SyntheticMedImageInsight.DefaultEmbeddingDim;
        for (int a = 0; a < 3; a++)
        {
            for (int b = a + 1; b < 3; b++)
            {
                double cosine = Cosine(result.Data.AsSpan(a * dim, dim), result.Data.AsSpan(b * dim, dim));
                Assert.True(Math.Abs(cosine) < 0.9, $"images {a} and {b}: cosine {cosine}");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void TextEncoderBytes_Defaults_OrtMatchesReference(int batch)
    {
        const int dim = SyntheticMedImageInsight.DefaultEmbeddingDim;
        (long[] ids, long[] mask, long[] eos) = Prompts(batch);

        OrtOutput<float> result = OrtTestRunner.Run<float>(
            SyntheticMedImageInsight.TextEncoderBytes(),
            new OrtInput(SyntheticMedImageInsight.InputIds, ids, [batch, Context]),
            new OrtInput(SyntheticMedImageInsight.AttentionMask, mask, [batch, Context]),
            new OrtInput(SyntheticMedImageInsight.EosIndex, eos, [batch]));

        Assert.Equal([batch, (long)dim], result.Shape);
        for (int b = 0; b < batch; b++)
        {
            float[] expected = SyntheticMedImageInsight.ExpectedTextEmbedding(
                ids.AsSpan(b * Context, Context), mask.AsSpan(b * Context, Context), eos[b]);
            AssertClose(expected, result.Data.AsSpan(b * dim, dim));
        }
    }

    [Fact]
    public void TextEncoderBytes_SmallDimAndVocab_OrtMatchesReference()
    {
        const int dim = 8;
        const int vocab = 1000;
        (long[] ids, long[] mask, long[] eos) = Prompts(2, vocab);

        OrtOutput<float> result = OrtTestRunner.Run<float>(
            SyntheticMedImageInsight.TextEncoderBytes(dim, vocab),
            new OrtInput(SyntheticMedImageInsight.InputIds, ids, [2, Context]),
            new OrtInput(SyntheticMedImageInsight.AttentionMask, mask, [2, Context]),
            new OrtInput(SyntheticMedImageInsight.EosIndex, eos, [2]));

        for (int b = 0; b < 2; b++)
        {
            float[] expected = SyntheticMedImageInsight.ExpectedTextEmbedding(
                ids.AsSpan(b * Context, Context), mask.AsSpan(b * Context, Context), eos[b], dim, vocab);
            AssertClose(expected, result.Data.AsSpan(b * dim, dim));
        }
    }

    [Fact]
    public void ExpectedTextEmbedding_DifferentPrompts_AreNotParallel()
    {
        (long[] ids, long[] mask, long[] eos) = Prompts(3);
        var embeddings = new float[3][];
        for (int b = 0; b < 3; b++)
        {
            embeddings[b] = SyntheticMedImageInsight.ExpectedTextEmbedding(
                ids.AsSpan(b * Context, Context), mask.AsSpan(b * Context, Context), eos[b]);
        }

        for (int a = 0; a < 3; a++)
        {
            for (int b = a + 1; b < 3; b++)
            {
                double cosine = Cosine(embeddings[a], embeddings[b]);
                Assert.True(Math.Abs(cosine) < 0.9, $"prompts {a} and {b}: cosine {cosine}");
            }
        }
    }

    [Fact]
    public void ExpectedTextEmbedding_MaskedTokenChanged_IsUnaffected()
    {
        (long[] ids, long[] mask, long[] eos) = Prompts(1);
        float[] before = SyntheticMedImageInsight.ExpectedTextEmbedding(ids, mask, eos[0]);
        ids[Context - 1] = 12345; // the last position is padding, masked out, and not the EOS position

        float[] after = SyntheticMedImageInsight.ExpectedTextEmbedding(ids, mask, eos[0]);

        Assert.Equal(0, mask[Context - 1]);
        Assert.Equal(before, after);
    }

    [Fact]
    public void ImageEncoderBytes_Signature_OrtReadsBackSameNamesTypesAndDims()
    {
        OnnxModelSignature signature = SyntheticMedImageInsight.ImageEncoderSignature(64, 32);

        using InferenceSession session = OrtTestRunner.Load(SyntheticMedImageInsight.ImageEncoderBytes(64, 32));

        AssertSignature(signature, session);
        Assert.Equal([-1, 3, 64, 64], session.InputMetadata[SyntheticMedImageInsight.PixelValues].Dimensions);
        Assert.Equal("true", session.ModelMetadata.CustomMetadataMap[SyntheticMedImageInsight.SyntheticMetadataKey]);
        Assert.Equal(SyntheticMedImageInsight.ImageEncoderGraph, session.ModelMetadata.GraphName);
    }

    [Fact]
    public void TextEncoderBytes_Signature_OrtReadsBackSameNamesTypesAndDims()
    {
        OnnxModelSignature signature = SyntheticMedImageInsight.TextEncoderSignature(32);

        using InferenceSession session = OrtTestRunner.Load(SyntheticMedImageInsight.TextEncoderBytes(32));

        AssertSignature(signature, session);
        Assert.Equal(TensorElementType.Int64, session.InputMetadata[SyntheticMedImageInsight.EosIndex].ElementDataType);
        Assert.Equal("true", session.ModelMetadata.CustomMetadataMap[SyntheticMedImageInsight.SyntheticMetadataKey]);
        Assert.Equal(SyntheticMedImageInsight.TextEncoderGraph, session.ModelMetadata.GraphName);
    }

    [Fact]
    public void ImageEncoderBytes_Float16_DeclaresFloat16AndOrtReadsItBack()
    {
        OnnxModelSignature signature = SyntheticMedImageInsight.ImageEncoderSignature(64, 32, OnnxElementType.Float16);

        using InferenceSession session = OrtTestRunner.Load(SyntheticMedImageInsight.ImageEncoderBytes(64, 32, OnnxElementType.Float16));

        AssertSignature(signature, session);
        Assert.Equal(TensorElementType.Float16, session.InputMetadata[SyntheticMedImageInsight.PixelValues].ElementDataType);
        Assert.Equal(TensorElementType.Float16, session.OutputMetadata[SyntheticMedImageInsight.ImageEmbeds].ElementDataType);
        Assert.Equal("image_encoder/v1-fp16", session.ModelMetadata.CustomMetadataMap[SyntheticMedImageInsight.RecipeMetadataKey]);
    }

    [Fact]
    public void TextEncoderBytes_Float16_KeepsInt64IdsAndGivesFloat16()
    {
        using InferenceSession session = OrtTestRunner.Load(SyntheticMedImageInsight.TextEncoderBytes(32, 1000, OnnxElementType.Float16));

        AssertSignature(SyntheticMedImageInsight.TextEncoderSignature(32, OnnxElementType.Float16), session);
        Assert.Equal(TensorElementType.Int64, session.InputMetadata[SyntheticMedImageInsight.InputIds].ElementDataType);
        Assert.Equal(TensorElementType.Float16, session.OutputMetadata[SyntheticMedImageInsight.TextEmbeds].ElementDataType);
    }

    [Fact]
    public void ImageEncoderBytes_FloatTypeNotFloat32OrFloat16_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticMedImageInsight.ImageEncoderBytes(64, 32, OnnxElementType.Double));
    }

    [Fact]
    public void ImageEncoderBytes_SizeNotMultipleOfFour_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticMedImageInsight.ImageEncoderBytes(30));
    }

    [Fact]
    public void ExpectedImageEmbedding_WrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => SyntheticMedImageInsight.ExpectedImageEmbedding(new float[10], 8));
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(77L)]
    public void ExpectedTextEmbedding_EosOutOfRange_Throws(long eosIndex)
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => SyntheticMedImageInsight.ExpectedTextEmbedding(new long[Context], new long[Context], eosIndex));
    }

    [Fact]
    public void WeightMatrix_Rows_AreFarFromParallel()
    {
        const int rows = SyntheticTextEncoder.FeatureCount;
        const int cols = SyntheticMedImageInsight.DefaultEmbeddingDim;
        float[] w = SyntheticWeights.WeightMatrix(SyntheticWeights.TextSeed, rows, cols);

        double worst = 0;
        for (int a = 0; a < rows; a++)
        {
            for (int b = a + 1; b < rows; b++)
            {
                worst = Math.Max(worst, Math.Abs(Cosine(w.AsSpan(a * cols, cols), w.AsSpan(b * cols, cols))));
            }
        }

        Assert.True(worst < 0.5, $"most parallel pair of rows has |cosine| {worst}");
        Assert.All(w, v => Assert.InRange(v, -0.05f, 0.05f));
    }

    private static void AssertSignature(OnnxModelSignature signature, InferenceSession session)
    {
        Assert.Equal(signature.Inputs.Select(i => i.Name), session.InputNames);
        Assert.Equal(signature.Outputs.Select(o => o.Name), session.OutputNames);
        foreach ((OnnxTensorInfo info, NodeMetadata meta) in signature.Inputs.Select(i => (i, session.InputMetadata[i.Name]))
            .Concat(signature.Outputs.Select(o => (o, session.OutputMetadata[o.Name]))))
        {
            Assert.Equal((int)info.ElementType, (int)meta.ElementDataType);
            Assert.Equal(info.Shape.Select(d => (int)(d.Value ?? -1)), meta.Dimensions);
            Assert.Equal(info.Shape.Select(d => d.Param ?? ""), meta.SymbolicDimensions);
            Assert.Equal(SyntheticMedImageInsight.BatchDim, meta.SymbolicDimensions[0]);
        }
    }

    /// <summary>
    /// Images with coarse structure that differs per image (block-level gradients and stripes) plus
    /// fine noise, so the 4×4 block means carry real signal.
    /// </summary>
    private static float[] Images(int batch, int size)
    {
        var random = new Random(1234);
        var pixels = new float[batch * 3 * size * size];
        int i = 0;
        for (int b = 0; b < batch; b++)
        {
            for (int c = 0; c < 3; c++)
            {
                for (int y = 0; y < size; y++)
                {
                    for (int x = 0; x < size; x++)
                    {
                        double u = (double)x / size;
                        double v = (double)y / size;
                        double coarse = b switch
                        {
                            0 => (2 * u) - 1 + (0.3 * c),
                            1 => Math.Cos(3 * v * (c + 1)),
                            _ => Math.Sin(5 * (u + v)) - (0.5 * c),
                        };
                        pixels[i++] = (float)(coarse + (0.2 * (random.NextDouble() - 0.5)));
                    }
                }
            }
        }

        return pixels;
    }

    private static (long[] Ids, long[] Mask, long[] Eos) Prompts(int batch, int vocab = SyntheticMedImageInsight.DefaultVocabSize)
    {
        var random = new Random(99);
        var ids = new long[batch * Context];
        var mask = new long[batch * Context];
        var eos = new long[batch];
        for (int b = 0; b < batch; b++)
        {
            int length = 5 + (b * 7);
            ids[b * Context] = vocab - 2; // start-of-text
            for (int t = 1; t < length - 1; t++)
            {
                ids[(b * Context) + t] = random.Next(1, vocab - 2);
            }

            ids[(b * Context) + length - 1] = vocab - 1; // end-of-text
            mask.AsSpan(b * Context, length).Fill(1);
            eos[b] = length - 1;
        }

        return (ids, mask, eos);
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
