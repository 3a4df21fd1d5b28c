using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MedServe.Models.CxrReportGen;

/// <summary>
/// Greedy decoding with a key/value cache over the <c>embed</c> and <c>decoder</c> graphs:
/// <code>
/// prompt ids ─embed→ inputs_embeds[1,L,H] ─ image rows spliced at the placeholder positions
///   ─decoder(past length 0)→ logits[1,L,V] (last row), present.* ─► argmax
///   loop: EOS? limit? cancelled? ─► embed(token)[1,1,H] ─decoder(past = present, mask ones[1,T], position T−1)→
///         logits[1,1,V], present.* (written into the other half of a ping-pong buffer) ─► argmax
/// </code>
/// Every buffer is allocated once per generation at its final size: per token the loop creates only the
/// ONNX Runtime values whose shapes grow (the mask and the cache views) and writes every output into
/// memory it owns. The sessions are shared; a generator keeps no per-request state.
/// <para>
/// The embeddings, logits and cache are held in the language model's own element type (float32, or
/// float16 for an fp16 package; <see cref="CxrPackageChecks"/> makes the graphs agree on one), so a step
/// converts nothing: only the image rows are narrowed once, when they are spliced into the prompt, and the
/// argmax reads float16 logits as they are.
/// </para>
/// </summary>
internal sealed class CxrGenerator
{
    private readonly InferenceSession _embed;
    private readonly InferenceSession _decoder;
    private readonly int _layers;
    private readonly int _heads;
    private readonly int _headDim;
    private readonly int _hidden;
    private readonly int _vocabulary;
    private readonly int[] _eos;
    private readonly string[] _embedInputs;
    private readonly string[] _embedOutputs;
    private readonly string[] _decoderInputs;
    private readonly string[] _decoderOutputs;
    private readonly bool _half;

    public CxrGenerator(InferenceSession embed, InferenceSession decoder, int layers, int heads, int headDim, int hidden, int vocabulary, IReadOnlyList<int> eos)
    {
        _embed = embed;
        _decoder = decoder;
        _layers = layers;
        _heads = heads;
        _headDim = headDim;
        _hidden = hidden;
        _vocabulary = vocabulary;
        _eos = [.. eos];
        _embedInputs = [CxrGraphNames.InputIds];
        _embedOutputs = [CxrGraphNames.InputsEmbeds];
        _decoderInputs = [CxrGraphNames.InputsEmbeds, CxrGraphNames.AttentionMask, CxrGraphNames.PositionIds,
            .. Enumerable.Range(0, layers).SelectMany(l => new[] { CxrGraphNames.PastKey(l), CxrGraphNames.PastValue(l) })];
        _decoderOutputs = [CxrGraphNames.Logits,
            .. Enumerable.Range(0, layers).SelectMany(l => new[] { CxrGraphNames.PresentKey(l), CxrGraphNames.PresentValue(l) })];
        _half = decoder.OutputMetadata[CxrGraphNames.Logits].ElementDataType == TensorElementType.Float16;
    }

    /// <summary>The element type of the embeddings, logits and key/value cache: float32 or float16.</summary>
    public TensorElementType ElementType => _half ? TensorElementType.Float16 : TensorElementType.Float;

    /// <summary>
    /// Generates up to <paramref name="maxNewTokens"/> tokens after <paramref name="promptIds"/>, whose rows at
    /// <paramref name="imagePositions"/> are replaced, in order, by the rows of <paramref name="imageEmbeds"/> (H floats each).
    /// </summary>
    public GenerationResult Generate(long[] promptIds, int[] imagePositions, ReadOnlyMemory<float> imageEmbeds, int maxNewTokens, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNewTokens, 1);
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        try
        {
            return _half
                ? GenerateIn<Float16>(promptIds, imagePositions, imageEmbeds.Span, maxNewTokens, runOptions, cancellationToken)
                : GenerateIn<float>(promptIds, imagePositions, imageEmbeds.Span, maxNewTokens, runOptions, cancellationToken);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            // A run stopped by RunOptions.Terminate: report the cancellation, not an ORT failure.
            throw new OperationCanceledException(cancellationToken);
        }
    }

    /// <summary>The generation in element type <typeparamref name="T"/> (<see cref="float"/> or <see cref="Float16"/>).</summary>
    private GenerationResult GenerateIn<T>(long[] promptIds, int[] imagePositions, ReadOnlySpan<float> image, int maxNewTokens,
        RunOptions runOptions, CancellationToken cancellationToken)
        where T : unmanaged
    {
        int capacity = promptIds.Length + maxNewTokens;
        int cacheLength = _heads * capacity * _headDim;

        // Buffers for the whole generation: the cache (two halves per tensor, swapped each step), the
        // attention mask (all ones; a prefix is viewed per step) and the one-token inputs and outputs.
        // The large ones are pooled, so a request leaves no garbage of its prompt's size behind.
        var rented = new List<T[]>(4 * _layers + 2);
        T[] Rent(int size)
        {
            var array = ArrayPool<T>.Shared.Rent(size);
            rented.Add(array);
            return array;
        }

        try
        {
            return Decode(promptIds, imagePositions, image, maxNewTokens, cacheLength, capacity, Rent, runOptions, cancellationToken);
        }
        finally
        {
            foreach (var array in rented)
            {
                ArrayPool<T>.Shared.Return(array);
            }
        }
    }

    private GenerationResult Decode<T>(long[] promptIds, int[] imagePositions, ReadOnlySpan<float> image, int maxNewTokens, int cacheLength,
        int capacity, Func<int, T[]> rent, RunOptions runOptions, CancellationToken cancellationToken)
        where T : unmanaged
    {
        int length = promptIds.Length;
        var cache = new T[2][][];
        for (int h = 0; h < 2; h++)
        {
            cache[h] = new T[2 * _layers][];
            for (int i = 0; i < 2 * _layers; i++)
            {
                cache[h][i] = rent(cacheLength);
            }
        }

        var mask = new long[capacity];
        mask.AsSpan().Fill(1);
        var tokens = new List<int>(maxNewTokens);
        var inputs = new OrtValue[_decoderInputs.Length];
        var outputs = new OrtValue[_decoderOutputs.Length];
        long[] cacheShape = [1, _heads, 0, _headDim];
        long[] maskShape = [1, 0];

        // Prefill: the whole prompt, an empty cache.
        int next;
        {
            var prefillEmbeds = rent(length * _hidden);
            using (var ids = OrtValue.CreateTensorValueFromMemory(promptIds, [1, length]))
            using (var embeds = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, prefillEmbeds.AsMemory(0, length * _hidden), [1, length, _hidden]))
            {
                _embed.Run(runOptions, _embedInputs, [ids], _embedOutputs, [embeds]);
            }

            for (int i = 0; i < imagePositions.Length; i++)
            {
                Narrow(image.Slice(i * _hidden, _hidden), prefillEmbeds.AsSpan(imagePositions[i] * _hidden, _hidden));
            }

            var positions = new long[length];
            for (int i = 0; i < length; i++)
            {
                positions[i] = i;
            }

            var logits = rent(length * _vocabulary);
            using var embedsValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, prefillEmbeds.AsMemory(0, length * _hidden), [1, length, _hidden]);
            using var positionsValue = OrtValue.CreateTensorValueFromMemory(positions, [1, length]);
            using var logitsValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, logits.AsMemory(0, length * _vocabulary), [1, length, _vocabulary]);
            inputs[0] = embedsValue;
            inputs[2] = positionsValue;
            outputs[0] = logitsValue;
            RunDecoder(runOptions, inputs, outputs, cache, past: 0, total: length, cacheShape, mask, maskShape);
            next = IndexOfMax<T>(logits.AsSpan((length - 1) * _vocabulary, _vocabulary));
        }

        // One token per step; the step values keep their shapes, so they are created once.
        var stepId = new long[1];
        var stepEmbeds = new T[_hidden];
        var stepPosition = new long[1];
        var stepLogits = new T[_vocabulary];
        using var stepIdValue = OrtValue.CreateTensorValueFromMemory(stepId, [1, 1]);
        using var stepEmbedsValue = OrtValue.CreateTensorValueFromMemory(stepEmbeds, [1, 1, _hidden]);
        using var stepPositionValue = OrtValue.CreateTensorValueFromMemory(stepPosition, [1, 1]);
        using var stepLogitsValue = OrtValue.CreateTensorValueFromMemory(stepLogits, [1, 1, _vocabulary]);
        OrtValue[] embedIn = [stepIdValue];
        OrtValue[] embedOut = [stepEmbedsValue];
        inputs[0] = stepEmbedsValue;
        inputs[2] = stepPositionValue;
        outputs[0] = stepLogitsValue;
        int total = length;
        int half = 1;
        while (true)
        {
            if (Array.IndexOf(_eos, next) >= 0)
            {
                return new GenerationResult(tokens, StoppedAtEos: true);
            }

            tokens.Add(next);
            if (tokens.Count == maxNewTokens)
            {
                return new GenerationResult(tokens, StoppedAtEos: false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            stepId[0] = next;
            _embed.Run(runOptions, _embedInputs, embedIn, _embedOutputs, embedOut);
            stepPosition[0] = total;
            RunDecoder(runOptions, inputs, outputs, cache, past: total, total: total + 1, cacheShape, mask, maskShape, half);
            half ^= 1;
            total++;
            next = IndexOfMax<T>(stepLogits);
        }
    }

    /// <summary>
    /// Runs the decoder with the cache of length <paramref name="past"/> read from half 1 − <paramref name="writeHalf"/>
    /// and the present of length <paramref name="total"/> written into half <paramref name="writeHalf"/>.
    /// </summary>
    private void RunDecoder<T>(RunOptions runOptions, OrtValue[] inputs, OrtValue[] outputs, T[][][] cache, int past, int total,
        long[] cacheShape, long[] mask, long[] maskShape, int writeHalf = 0)
        where T : unmanaged
    {
        int readHalf = 1 - writeHalf;
        int pastLength = _heads * past * _headDim;
        int totalLength = _heads * total * _headDim;
        maskShape[1] = total;
        inputs[1] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, mask.AsMemory(0, total), maskShape);
        try
        {
            cacheShape[2] = past;
            for (int i = 0; i < 2 * _layers; i++)
            {
                inputs[3 + i] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, cache[readHalf][i].AsMemory(0, pastLength), cacheShape);
            }

            cacheShape[2] = total;
            for (int i = 0; i < 2 * _layers; i++)
            {
                outputs[1 + i] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, cache[writeHalf][i].AsMemory(0, totalLength), cacheShape);
            }

            _decoder.Run(runOptions, _decoderInputs, inputs, _decoderOutputs, outputs);
        }
        finally
        {
            inputs[1]?.Dispose();
            for (int i = 0; i < 2 * _layers; i++)
            {
                inputs[3 + i]?.Dispose();
                outputs[1 + i]?.Dispose();
                inputs[3 + i] = null!;
                outputs[1 + i] = null!;
            }
        }
    }

    /// <summary>Copies float32 image rows into the prompt's embeddings, narrowed to float16 for an fp16 model.</summary>
    private static void Narrow<T>(ReadOnlySpan<float> source, Span<T> target)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            source.CopyTo(MemoryMarshal.Cast<T, float>(target));
        }
        else
        {
            // ORT's Float16 and System.Half are both IEEE binary16.
            TensorPrimitives.ConvertToHalf(source, MemoryMarshal.Cast<T, Half>(target));
        }
    }

    /// <summary>The first index of the largest logit, read in the logits' own precision.</summary>
    private static int IndexOfMax<T>(ReadOnlySpan<T> logits)
        where T : unmanaged =>
        typeof(T) == typeof(float)
            ? TensorPrimitives.IndexOfMax(MemoryMarshal.Cast<T, float>(logits))
            : TensorPrimitives.IndexOfMax(MemoryMarshal.Cast<T, Half>(logits));
}
