using System.Diagnostics;
using System.Numerics.Tensors;
using System.Text.Json;
using MedServe.Contracts;
using MedServe.Imaging;
using MedServe.Inference.Batching;
using MedServe.Inference.Packages;
using MedServe.Inference.Runtime;
using MedServe.Inference.Tokenization;
using MedServe.Models.Buffers;
using MedServe.Models.Inputs;
using MedServe.Models.Scoring;
using Microsoft.ML.OnnxRuntime;

namespace MedServe.Models.MedImageInsight;

/// <summary>
/// MedImageInsight: image and text embeddings, exactly as the hosted endpoint answers.
/// <code>
/// frame ─► columns/params/rows checked ─► images decoded + pre-processed (parallel) ─► image_encoder (chunks)
///                                     └─► texts tokenised (CLIP BPE, 77)            ─► text_encoder (chunks)
///       ─► L2-normalise ─► [{"image_features": [[…]], "text_features": […], "scaling_factor": s}, …]
/// </code>
/// With batching on, each encoder has a <see cref="DynamicBatcher{TKey, TInput, TOutput}"/>: a request's
/// pre-processed rows join the rows of the other requests on this instance in shared graph runs
/// (an undecodable image ends its own request with a 400 before its chunk is queued, so it never
/// reaches a shared run).
/// </summary>
public sealed class MedImageInsightModel : IScoringModel
{
    /// <summary>The task name in package manifests.</summary>
    public const string TaskName = "medimageinsight";

    internal const string ImageColumn = "image";
    internal const string TextColumn = "text";
    internal const string ImageEncoder = "image_encoder";
    internal const string TextEncoder = "text_encoder";
    internal const string LogitScale = "logit_scale";

    private readonly ModelPackage _package;
    private readonly ClipTokenizer _tokenizer;
    private readonly int _contextLength;
    private readonly double _logitScale;
    private readonly ImageInputDecoder _inputDecoder;
    private readonly RequestBufferPool _buffers;
    private readonly DynamicBatcher<int, float[], float[]>? _imageBatcher;
    private readonly DynamicBatcher<int, ClipEncoding, float[]>? _textBatcher;

    private MedImageInsightModel(ModelPackage package, ClipTokenizer tokenizer, ModelLoadOptions options)
    {
        _package = package;
        _tokenizer = tokenizer;
        var manifest = package.Manifest;
        _contextLength = manifest.Tokenizer!.ContextLength;
        _logitScale = package.Constant(LogitScale);
        _inputDecoder = new ImageInputDecoder(new ImageDecodeOptions { MaxPixels = options.MaxImagePixels }, options.Dicom);
        _buffers = options.Buffers;
        Preprocessor = new MedImageInsightPreprocessor(manifest.Preprocessing!);
        ImageBatchLimit = EncoderBatch.Limit(manifest, ImageEncoder);
        TextBatchLimit = EncoderBatch.Limit(manifest, TextEncoder);
        if (options.Batching is { } batching)
        {
            // Rows of one bucket share a tensor: the bucket is the row's tensor length (one image size, one context length).
            _imageBatcher = new DynamicBatcher<int, float[], float[]>(Math.Min(batching.MaxBatchSize ?? ImageBatchLimit, ImageBatchLimit),
                batching.MaxQueueDelay, (_, rows, token) => EmbedImageRows(rows, token), options.Time);
            _textBatcher = new DynamicBatcher<int, ClipEncoding, float[]>(Math.Min(batching.MaxBatchSize ?? TextBatchLimit, TextBatchLimit),
                batching.MaxQueueDelay, (_, rows, token) => EmbedTextRows(rows, token), options.Time);
        }
        Descriptor = new ModelDescriptor
        {
            Name = manifest.Name,
            Task = TaskName,
            Version = manifest.Version,
            Synthetic = manifest.Synthetic,
            MaxRows = options.MaxRows ?? manifest.Limits.MaxRows,
            Columns =
            [
                new ColumnDescriptor(ImageColumn, true, "base64 PNG, JPEG or DICOM image; null or \"\" when not sent"),
                new ColumnDescriptor(TextColumn, false, "text to embed; null or \"\" when not sent"),
            ],
            ResponseRowSchemaJson = ResponseRowSchema,
            Params =
            [
                new ParamDescriptor(MedImageInsightParams.GetScalingFactorName, "boolean", "true", "include scaling_factor (log-space logit scale) on every row"),
                new ParamDescriptor(MedImageInsightParams.StandardizationSizeName, "integer", "512", "side of the square the image is first resized to before the JPEG round trip"),
                new ParamDescriptor(MedImageInsightParams.JpegQualityName, "integer", "75", "JPEG quality of the standardisation round trip"),
                new ParamDescriptor(MedImageInsightParams.NormalizationName, "string", "\"percentile\"", "DICOM only: window, percentile (1-99 % of all pixels), percentile:LOW:HIGH, percentile_nonzero:LOW:HIGH, ct:SITE, minmax"),
                new ParamDescriptor(MedImageInsightParams.DicomFrameName, "integer", "0", "DICOM only: the frame of a multi-frame file"),
            ],
        };
    }

    private const string ResponseRowSchema = """
        {"type": "object", "properties": {
          "image_features": {"type": "array", "description": "L2-normalised image embedding, nested one level: [[d0, ..., dN]]; omitted when the row sent no image", "items": {"type": "array", "items": {"type": "number"}}},
          "text_features": {"type": "array", "description": "L2-normalised text embedding, flat; omitted when the row sent no text", "items": {"type": "number"}},
          "scaling_factor": {"type": "number", "description": "the model's logit_scale in log space; clients apply exp() before a softmax"}}}
        """;

    /// <inheritdoc />
    public ModelDescriptor Descriptor { get; }

    /// <summary>The image pre-processor (also used by <c>medserve preprocess</c>).</summary>
    public MedImageInsightPreprocessor Preprocessor { get; }

    /// <summary>The tokenizer (also used by <c>medserve tokenize</c>).</summary>
    public ClipTokenizer Tokenizer => _tokenizer;

    /// <summary>The most images one image-encoder run takes (<see cref="EncoderBatch.Limit"/>).</summary>
    public int ImageBatchLimit { get; }

    /// <summary>The most texts one text-encoder run takes (<see cref="EncoderBatch.Limit"/>).</summary>
    public int TextBatchLimit { get; }

    /// <summary>The most images one image-encoder run takes with batching on; null when batching is off.</summary>
    public int? BatchedRunSize => _imageBatcher?.MaxBatchSize;

    /// <summary>The most texts one text-encoder run takes with batching on; null when batching is off.</summary>
    public int? BatchedTextRunSize => _textBatcher?.MaxBatchSize;

    /// <summary>Builds the model on a loaded package; takes ownership of the package.</summary>
    public static MedImageInsightModel Create(ModelPackage package, ModelLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(options);
        var manifest = package.Manifest;
        var problems = new List<string>();
        if (manifest.Preprocessing is null)
        {
            problems.Add("medserve.json: preprocessing is missing");
        }

        if (manifest.Tokenizer is null)
        {
            problems.Add("medserve.json: tokenizer is missing");
        }

        foreach (string role in new[] { ImageEncoder, TextEncoder })
        {
            if (!package.HasGraph(role))
            {
                problems.Add($"medserve.json: graph '{role}' is missing");
            }
        }

        if (problems.Count == 0)
        {
            CheckShapes(manifest, problems);
        }

        if (!manifest.Constants.ContainsKey(LogitScale))
        {
            problems.Add($"medserve.json: constants.{LogitScale} is missing");
        }

        if (problems.Count > 0)
        {
            throw new ModelPackageException(package.Directory, problems);
        }

        var tokenizer = TokenizerLoader.Load(package);
        return new MedImageInsightModel(package, tokenizer, options);
    }

    /// <summary>
    /// The pre-processing and tokenizer settings must produce exactly the tensors the graphs take, or
    /// every request would fail at run time.
    /// </summary>
    private static void CheckShapes(PackageManifest manifest, List<string> problems)
    {
        var image = manifest.Graphs[ImageEncoder].Inputs;
        int size = manifest.Preprocessing!.ImageSize;
        if (image.Count != 1 || !OrtFloatTensors.IsFloat(image[0].ElementType) || image[0].Shape.Count != 4
            || image[0].Shape[1].Size != 3 || image[0].Shape[2].Size != size || image[0].Shape[3].Size != size)
        {
            problems.Add($"medserve.json: graph '{ImageEncoder}' must take one float32 or float16 [batch,3,{size},{size}] input (preprocessing.image_size is {size})");
        }

        var text = manifest.Graphs[TextEncoder].Inputs;
        int length = manifest.Tokenizer!.ContextLength;
        string[] expected = ["input_ids", "attention_mask", "eos_index"];
        if (text.Count != 3 || !text.Select(t => t.Name).SequenceEqual(expected)
            || text[0].Shape.Count != 2 || text[0].Shape[1].Size != length
            || text[1].Shape.Count != 2 || text[1].Shape[1].Size != length
            || text.Any(t => t.ElementType != "int64"))
        {
            problems.Add($"medserve.json: graph '{TextEncoder}' must take int64 input_ids [batch,{length}], attention_mask [batch,{length}] and eos_index [batch] (tokenizer.context_length is {length})");
        }

        EncoderBatch.Check(manifest, ImageEncoder, "image", problems);
        EncoderBatch.Check(manifest, TextEncoder, "text", problems);
    }

    /// <inheritdoc />
    public async Task<ScoringResult> ScoreAsync(ScoringFrame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        long started = Stopwatch.GetTimestamp();
        if (!FrameShape.TryCheck(frame, Descriptor, "MedImageInsight", out string error) || !MedImageInsightParams.TryRead(frame.Params, out var parameters, out error))
        {
            return ScoringResult.Error(400, error);
        }

        // The image cells' bytes are lent by the pool: given back (zeroed) when the request is done, on every path.
        var images = new PooledBuffer?[frame.RowCount];
        try
        {
            return await ScoreRowsAsync(frame, parameters, images, started, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var image in images)
            {
                image?.Dispose();
            }
        }
    }

    private async Task<ScoringResult> ScoreRowsAsync(ScoringFrame frame, MedImageInsightParams parameters, PooledBuffer?[] imageBytes, long started, CancellationToken cancellationToken)
    {
        if (!TryReadRows(frame, _buffers, imageBytes, out var images, out var texts, out string error))
        {
            return ScoringResult.Error(400, error);
        }

        float[][]? imageEmbeddings = null;
        float[][]? textEmbeddings = null;
        if (images is not null)
        {
            var (embeddings, decodeError) = await EmbedImagesAsync(images, parameters, cancellationToken).ConfigureAwait(false);
            if (decodeError is not null)
            {
                return ScoringResult.Error(400, decodeError);
            }

            imageEmbeddings = embeddings;
        }

        if (texts is not null)
        {
            textEmbeddings = _textBatcher is null
                ? await Task.Run(() => EmbedTexts(texts, cancellationToken), cancellationToken).ConfigureAwait(false)
                : await EmbedTextsBatchedAsync(_textBatcher, texts, cancellationToken).ConfigureAwait(false);
        }

        var rows = new MedImageInsightResult[frame.RowCount];
        double? scale = parameters.GetScalingFactor ? _logitScale : null;
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = new MedImageInsightResult
            {
                ImageFeatures = imageEmbeddings is null ? null : [imageEmbeddings[i]],
                TextFeatures = textEmbeddings?[i],
                ScalingFactor = scale,
            };
        }

        byte[] body = JsonSerializer.SerializeToUtf8Bytes(rows, ContractsJsonContext.Default.MedImageInsightResultArray);
        return ScoringResult.Ok(body, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Reads every row; all rows must carry the same modalities (image only, text only, or both).
    /// </summary>
    private static bool TryReadRows(ScoringFrame frame, RequestBufferPool pool, PooledBuffer?[] imageBytes, out PooledBuffer?[]? images, out string[]? texts, out string error)
    {
        images = null;
        texts = null;
        var textValues = new string[frame.RowCount];
        (bool Image, bool Text)? first = null;
        for (int row = 0; row < frame.RowCount; row++)
        {
            if (!CellReader.TryReadBase64(frame, row, ImageColumn, pool, out PooledBuffer? image, out error))
            {
                return false;
            }

            imageBytes[row] = image;
            if (!CellReader.TryReadText(frame, row, TextColumn, out string? text, out error))
            {
                return false;
            }

            var kind = (image is not null, text is not null);
            if (!kind.Item1 && !kind.Item2)
            {
                error = $"row {row} has neither an image nor a text";
                return false;
            }

            first ??= kind;
            if (kind != first.Value)
            {
                error = $"rows mix modalities: row 0 has {Describe(first.Value)} but row {row} has {Describe(kind)}; send all image-only, all text-only or all image-and-text rows";
                return false;
            }

            textValues[row] = text!;
        }

        error = "";
        images = first!.Value.Image ? imageBytes : null;
        texts = first.Value.Text ? textValues : null;
        return true;
    }

    private static string Describe((bool Image, bool Text) kind) => kind switch
    {
        (true, true) => "an image and a text",
        (true, false) => "only an image",
        _ => "only a text",
    };

    /// <summary>
    /// Decodes (PNG, JPEG or DICOM), pre-processes and embeds images one batch at a time, so at most one batch of decoded
    /// images is in memory however many rows a request carries. The first undecodable image ends the
    /// request with its row named.
    /// </summary>
    private async Task<(float[][]? Embeddings, string? Error)> EmbedImagesAsync(PooledBuffer?[] images, MedImageInsightParams parameters, CancellationToken cancellationToken)
    {
        int length = Preprocessor.TensorLength;
        var embeddings = new float[images.Length][];
        for (int start = 0; start < images.Length; start += ImageBatchLimit)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(ImageBatchLimit, images.Length - start);
            int first = start;
            var decoded = await Task.WhenAll(Enumerable.Range(first, count).Select(row =>
                Task.Run(() => _inputDecoder.DecodeAsync(images[row]!.Memory, parameters.Image, cancellationToken), cancellationToken))).ConfigureAwait(false);
            for (int i = 0; i < count; i++)
            {
                if (decoded[i].Error is { } error)
                {
                    return (null, $"row {first + i}, column '{ImageColumn}': {error}");
                }
            }

            if (_imageBatcher is not null)
            {
                // Each row its own buffer: the batcher copies the rows of a shared run into one tensor.
                var rows = new float[count][];
                await Task.Run(() => Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
                {
                    rows[i] = new float[length];
                    Preprocessor.Process(decoded[i].Image!, parameters.StandardizationSize, parameters.JpegQuality, rows[i]);
                }), cancellationToken).ConfigureAwait(false);
                var results = await Task.WhenAll(rows.Select(row => _imageBatcher.RunAsync(length, row, cancellationToken))).ConfigureAwait(false);
                results.CopyTo(embeddings, first);
                continue;
            }

            float[] pixels = new float[count * length];
            await Task.Run(() => Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
                Preprocessor.Process(decoded[i].Image!, parameters.StandardizationSize, parameters.JpegQuality, pixels.AsSpan(i * length, length))),
                cancellationToken).ConfigureAwait(false);
            EmbedImages(pixels, count, cancellationToken).CopyTo(embeddings, first);
        }

        return (embeddings, null);
    }

    /// <summary>One image_encoder run over <paramref name="count"/> pre-processed images, packed NCHW.</summary>
    private float[][] EmbedImages(float[] pixels, int count, CancellationToken cancellationToken)
    {
        var session = _package.Session(ImageEncoder);
        // float32 or float16, as the graph declares (fp16 packages).
        using var input = OrtFloatTensors.Input(session, session.InputNames[0], pixels, [count, 3, Preprocessor.ImageSize, Preprocessor.ImageSize]);
        return Run(session, [session.InputNames[0]], [input], count, cancellationToken);
    }

    /// <summary>The image batcher's runner: packs the rows of several requests into one tensor.</summary>
    private float[][] EmbedImageRows(IReadOnlyList<float[]> rows, CancellationToken cancellationToken)
    {
        int length = Preprocessor.TensorLength;
        float[] pixels = new float[rows.Count * length];
        for (int i = 0; i < rows.Count; i++)
        {
            rows[i].CopyTo(pixels.AsSpan(i * length, length));
        }

        return EmbedImages(pixels, rows.Count, cancellationToken);
    }

    private float[][] EmbedTexts(string[] texts, CancellationToken cancellationToken)
    {
        var embeddings = new float[texts.Length][];
        for (int start = 0; start < texts.Length; start += TextBatchLimit)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(TextBatchLimit, texts.Length - start);
            var encodings = new ClipEncoding[count];
            for (int i = 0; i < count; i++)
            {
                encodings[i] = _tokenizer.EncodeForModel(texts[start + i], _contextLength);
            }

            EmbedTextRows(encodings, cancellationToken).CopyTo(embeddings, start);
        }

        return embeddings;
    }

    private async Task<float[][]> EmbedTextsBatchedAsync(DynamicBatcher<int, ClipEncoding, float[]> batcher, string[] texts, CancellationToken cancellationToken)
    {
        var encodings = new ClipEncoding[texts.Length];
        for (int i = 0; i < texts.Length; i++)
        {
            encodings[i] = _tokenizer.EncodeForModel(texts[i], _contextLength);
        }

        return await Task.WhenAll(encodings.Select(encoding => batcher.RunAsync(_contextLength, encoding, cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>One text_encoder run over tokenised rows (of one request, or of several when batching).</summary>
    private float[][] EmbedTextRows(IReadOnlyList<ClipEncoding> encodings, CancellationToken cancellationToken)
    {
        var session = _package.Session(TextEncoder);
        int count = encodings.Count;
        long[] ids = new long[count * _contextLength];
        long[] mask = new long[count * _contextLength];
        long[] eos = new long[count];
        for (int i = 0; i < count; i++)
        {
            encodings[i].InputIds.CopyTo(ids.AsSpan(i * _contextLength));
            encodings[i].AttentionMask.CopyTo(mask.AsSpan(i * _contextLength));
            eos[i] = encodings[i].EosIndex;
        }

        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [count, _contextLength]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [count, _contextLength]);
        using var eosValue = OrtValue.CreateTensorValueFromMemory(eos, [count]);
        return Run(session, ["input_ids", "attention_mask", "eos_index"], [idsValue, maskValue, eosValue], count, cancellationToken);
    }

    /// <summary>Runs a graph and L2-normalises each of its <paramref name="count"/> output rows.</summary>
    private static float[][] Run(InferenceSession session, string[] inputNames, OrtValue[] inputs, int count, CancellationToken cancellationToken)
    {
        var embeddings = new float[count][];
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        using var outputs = session.Run(runOptions, inputNames, inputs, [session.OutputNames[0]]);
        var output = outputs[0];
        var shape = output.GetTensorTypeAndShape().Shape;
        int dim = checked((int)shape[^1]);
        var data = OrtFloatTensors.Read(output);
        for (int i = 0; i < count; i++)
        {
            var row = data.Slice(i * dim, dim).ToArray();
            float norm = TensorPrimitives.Norm(row);
            if (norm > 0)
            {
                TensorPrimitives.Divide(row, norm, row);
            }

            embeddings[i] = row;
        }

        cancellationToken.ThrowIfCancellationRequested();
        return embeddings;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The batchers' pumps end first: they use the package's sessions.
        _imageBatcher?.Dispose();
        _textBatcher?.Dispose();
        _package.Dispose();
    }
}
