using System.Numerics.Tensors;
using System.Text.Json;
using MedServe.Imaging;
using MedServe.Inference.Tokenization;
using MedServe.Models.MedImageInsight;
using MedServe.Onnx.Synthetic;

namespace MedServe.Server.Tests;

/// <summary>What the demo package must answer, computed independently of the server's request path.</summary>
internal static class Expectations
{
    public static float[] TextEmbedding(string packageDirectory, string text)
    {
        var tokenizer = ClipTokenizer.FromOpenAiMerges(Path.Combine(packageDirectory, "tokenizer", "demo_bpe_vocab.txt.gz"));
        var encoding = tokenizer.EncodeForModel(text, 77);
        var raw = SyntheticMedImageInsight.ExpectedTextEmbedding(encoding.InputIds, encoding.AttentionMask, encoding.EosIndex, 1024, tokenizer.VocabularySize);
        return Normalise(raw);
    }

    public static float[] ImageEmbedding(byte[] image, int standardSize = 512, int quality = 75)
    {
        var preprocessor = new MedImageInsightPreprocessor(MedImageInsightDefaults.Preprocessing);
        float[] pixels = new float[preprocessor.TensorLength];
        preprocessor.Process(ImageDecoder.Decode(image, ImageDecodeOptions.Default), standardSize, quality, pixels);
        return Normalise(SyntheticMedImageInsight.ExpectedImageEmbedding(pixels, 480, 1024));
    }

    public static float[] Normalise(float[] v)
    {
        float norm = TensorPrimitives.Norm(v);
        return [.. v.Select(x => x / norm)];
    }

    public static float[] Floats(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetSingle())];

    public static void Close(float[] expected, float[] actual, float tolerance = 1e-4f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
