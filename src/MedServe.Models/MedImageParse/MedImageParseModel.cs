using System.Diagnostics;
using MedServe.Imaging;
using MedServe.Inference.Batching;
using MedServe.Inference.Packages;
using MedServe.Inference.Runtime;
using MedServe.Inference.Tokenization;
using MedServe.Models.Inputs;
using MedServe.Models.MedImageParse.Detection;
using MedServe.Models.Scoring;
using Microsoft.ML.OnnxRuntime;

namespace MedServe.Models.MedImageParse;

/// <summary>
/// MedImageParse: text-prompted segmentation, exactly as the hosted endpoint answers, plus opt-in
/// server-side preparation, existence p-values and recognition.
/// <code>
/// frame ─► columns/params/rows checked, prompts split on '&amp;' ─► every image decoded (parallel)
///   per row: image ─► RGB [pad] ─► bicubic S ─► mean/std ─► image_encoder ─► features ─┐
///            prompts ─► CLIP BPE ─► text_encoder ─► token_embeds, class_embeds          │
///            valid tokens of all prompts ─► grounding_tokens [T,1,D] ───────────────────┴► decoder
///            per prompt: argmax scaled cosine(class, captions) ─► query's logits ─► bilinear to the image ─► sigmoid
///            ─► uint8 ×255 masks [N,H,W] + categories (+ p-values; recognition: per-target passes, merged)
///   ─► [{"image_features": "{\"data\": …, \"shape\": [N,H,W], \"dtype\": \"uint8\"}", "text_features": […]}, …]
/// </code>
/// Everything that can be refused is checked before any graph runs.
/// With batching on, both encoders have a <see cref="DynamicBatcher{TKey, TInput, TOutput}"/>: a row's image
/// and its prompts join the images and prompts of the other requests on this instance in shared encoder runs
/// (the rows of one request go a batch of images at a time); the decoder still runs one row at a time.
/// Float tensors are float32 or float16, as the graphs declare (converted at the edge, <see cref="OrtFloatTensors"/>).
/// </summary>
public sealed class MedImageParseModel : IScoringModel
{
    /// <summary>The task name in package manifests.</summary>
    public const string TaskName = "medimageparse";

    internal const string ImageColumn = "image";
    internal const string TextColumn = "text";
    internal const string ImageEncoder = "image_encoder";
    internal const string TextEncoder = "text_encoder";
    internal const string Decoder = "decoder";
    internal const string LogitScale = "logit_scale";
    internal const string InputIds = "input_ids";
    internal const string EosIndex = "eos_index";
    internal const string TokenEmbeds = "token_embeds";
    internal const string ClassEmbeds = "class_embeds";
    internal const string GroundingTokens = "grounding_tokens";
    internal const string PredMasks = "pred_masks";
    internal const string PredCaptions = "pred_captions";
    internal const string PredLogits = "pred_logits";

    private readonly ModelPackage _package;
    private readonly ClipTokenizer _tokenizer;
    private readonly ImageInputDecoder _inputDecoder;
    private readonly TargetDistributions? _targets;
    private readonly string[] _decoderImageInputs;
    private readonly int _contextLength;
    private readonly float _temperature;
    private readonly int _dim;
    private readonly int _maskHeight;
    private readonly int _maskWidth;
    private readonly DynamicBatcher<int, float[], ImageFeatureRow>? _imageBatcher;
    private readonly DynamicBatcher<int, ClipEncoding, PromptEmbedding>? _textBatcher;
    private readonly int? _imageRunSize;

    private MedImageParseModel(ModelPackage package, ClipTokenizer tokenizer, TargetDistributions? targets, ModelLoadOptions options)
    {
        _package = package;
        _tokenizer = tokenizer;
        _targets = targets;
        var manifest = package.Manifest;
        _contextLength = manifest.Tokenizer!.ContextLength;
        _temperature = QueryMatcher.Scale(package.Constant(LogitScale));
        _inputDecoder = new ImageInputDecoder(new ImageDecodeOptions { MaxPixels = options.MaxImagePixels }, options.Dicom);
        Preprocessor = new MedImageParsePreprocessor(manifest.Preprocessing!);
        MaxPrompts = manifest.Limits.MaxPrompts;
        var decoder = manifest.Graphs[Decoder];
        _decoderImageInputs = [.. decoder.Inputs.Where(i => i.Name != GroundingTokens).Select(i => i.Name)];
        var masks = decoder.Outputs.First(o => o.Name == PredMasks).Shape;
        _maskHeight = (int)masks[2].Size!.Value;
        _maskWidth = (int)masks[3].Size!.Value;
        _dim = (int)manifest.Graphs[TextEncoder].Outputs.First(o => o.Name == ClassEmbeds).Shape[1].Size!.Value;
        ImageBatchLimit = EncoderBatch.Limit(manifest, ImageEncoder);
        TextBatchLimit = EncoderBatch.Limit(manifest, TextEncoder);
        if (options.Batching is { } batching)
        {
            // One bucket per encoder input shape: every image of a package has one size, every prompt one context length.
            _imageRunSize = Math.Min(batching.MaxBatchSize ?? ImageBatchLimit, ImageBatchLimit);
            if (_imageRunSize > 1)
            {
                _imageBatcher = new DynamicBatcher<int, float[], ImageFeatureRow>(_imageRunSize.Value, batching.MaxQueueDelay,
                    (_, rows, token) => EncodeImageRows(rows, token), options.Time);
            }

            // One image per run (a batch fixed to 1, the reference export) gains nothing from a queue, and its own run's
            // outputs go to the decoder without the copy a shared run needs; the prompts still share runs.
            _textBatcher = new DynamicBatcher<int, ClipEncoding, PromptEmbedding>(
                Math.Min(batching.MaxBatchSize ?? TextBatchLimit, TextBatchLimit), batching.MaxQueueDelay,
                (_, rows, token) => EncodePromptRows(rows, token), options.Time);
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
                new ColumnDescriptor(ImageColumn, true, "base64 PNG, JPEG or DICOM image (the hosted service expects 1024x1024; a non-square image is stretched unless params.auto_preprocess is true)"),
                new ColumnDescriptor(TextColumn, false, "one or more prompts separated by '&', e.g. \"left lung & COVID-19 infection\"; empty with params.recognition"),
            ],
            ResponseRowSchemaJson = ResponseRowSchema,
            Params =
            [
                new ParamDescriptor(MedImageParseParams.AutoPreprocessName, "boolean", "false", "MedServe: pad to square (centred, black) and resize server-side; masks come back in the original geometry"),
                new ParamDescriptor(MedImageParseParams.CtWindowName, "string", "null", "MedServe, DICOM CT only: the HU window abdomen, lung, pelvis, liver, colon or pancreas"),
                new ParamDescriptor(MedImageParseParams.DetectionName, "boolean", "false", "MedServe: per-prompt existence p-values in p_values (needs modality and the package's target_dist.json)"),
                new ParamDescriptor(MedImageParseParams.RecognitionName, "boolean", "false", "MedServe: segment every known target of the modality; text_features lists the targets found"),
                new ParamDescriptor(MedImageParseParams.ModalityName, "string", "null", "MedServe: the image type of target_dist.json, e.g. \"CT-Abdomen\" (detection and recognition)"),
                new ParamDescriptor(MedImageParseParams.PValueThresholdName, "number", "0.05", "MedServe: recognition keeps targets with a p-value at least this"),
                new ParamDescriptor(MedImageParseParams.NormalizationName, "string", "\"percentile\"", "DICOM only: window, percentile (0.5-99.5 % of non-zero pixels), percentile:LOW:HIGH, percentile_nonzero:LOW:HIGH, ct:SITE, minmax"),
                new ParamDescriptor(MedImageParseParams.DicomFrameName, "integer", "0", "DICOM only: the frame of a multi-frame file"),
            ],
        };
    }

    private const string ResponseRowSchema = """
        {"type": "object", "properties": {
          "image_features": {"type": "string", "description": "JSON text {\"data\": base64 of raw C-order uint8 bytes, \"shape\": [N, H, W], \"dtype\": \"uint8\"}: one mask per prompt, probability x 255"},
          "text_features": {"type": "array", "description": "one category name per prompt (with recognition: the targets found)", "items": {"type": "string"}},
          "p_values": {"type": "array", "description": "MedServe, with detection or recognition: existence p-value per mask, null when none could be computed", "items": {"type": "number", "nullable": true}},
          "p_value_reasons": {"type": "array", "description": "MedServe, with detection: why a p-value is null", "items": {"type": "string", "nullable": true}}}}
        """;

    /// <inheritdoc />
    public ModelDescriptor Descriptor { get; }

    /// <summary>The image pre-processor.</summary>
    public MedImageParsePreprocessor Preprocessor { get; }

    /// <summary>The most prompts one text cell may hold.</summary>
    public int MaxPrompts { get; }

    /// <summary>The most images one <c>image_encoder</c> run takes (1 for a graph whose batch dimension is fixed to 1).</summary>
    public int ImageBatchLimit { get; }

    /// <summary>The most prompts one <c>text_encoder</c> run takes (1 for a graph whose batch dimension is fixed to 1).</summary>
    public int TextBatchLimit { get; }

    /// <summary>The most images one batched <c>image_encoder</c> run takes (1: each row's image runs alone, unqueued); null when batching is off.</summary>
    public int? BatchedImageRunSize => _imageRunSize;

    /// <summary>The most prompts one batched <c>text_encoder</c> run takes; null when batching is off.</summary>
    public int? BatchedTextRunSize => _textBatcher?.MaxBatchSize;

    /// <summary>Builds the model on a loaded package; takes ownership of the package.</summary>
    public static MedImageParseModel Create(ModelPackage package, ModelLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(options);
        var problems = MedImageParsePackageRules.Check(package.Manifest);
        if (problems.Count > 0)
        {
            throw new ModelPackageException(package.Directory, problems);
        }

        TargetDistributions? targets = package.Manifest.TargetDistributions is { } file
            ? TargetDistributions.Load(package.PathOf(file))
            : null;
        var tokenizer = TokenizerLoader.Load(package);
        return new MedImageParseModel(package, tokenizer, targets, options);
    }

    /// <inheritdoc />
    public async Task<ScoringResult> ScoreAsync(ScoringFrame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        long started = Stopwatch.GetTimestamp();
        if (!FrameShape.TryCheck(frame, Descriptor, "MedImageParse", out string error)
            || !MedImageParseParams.TryRead(frame.Params, out var parameters, out error)
            || !ValidateDetection(parameters, out error)
            || !TryReadRows(frame, parameters, out var images, out var prompts, out error))
        {
            return ScoringResult.Error(400, error);
        }

        var decoded = await Task.WhenAll(images.Select(bytes =>
            Task.Run(() => _inputDecoder.DecodeAsync(bytes, parameters.Image, cancellationToken), cancellationToken))).ConfigureAwait(false);
        for (int row = 0; row < decoded.Length; row++)
        {
            if (decoded[row].Error is { } decodeError)
            {
                return ScoringResult.Error(400, $"row {row}, column '{ImageColumn}': {decodeError}");
            }

            if (parameters.CtWindow is not null && decoded[row].Image!.SourceFormat != ImageFormat.Dicom)
            {
                return ScoringResult.Error(400, $"row {row}, column '{ImageColumn}': param '{MedImageParseParams.CtWindowName}' needs a DICOM CT image (Hounsfield units); this is a {decoded[row].Image!.SourceFormat.ToString().ToUpperInvariant()} image");
            }
        }

        var rows = new MedImageParseRowResult[frame.RowCount];
        if (_imageRunSize is { } chunk)
        {
            // A batch of rows at a time: they can share encoder runs, and at most a batch of features is held per request.
            for (int start = 0; start < rows.Length; start += chunk)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = Math.Min(chunk, rows.Length - start);
                var scored = await Task.WhenAll(Enumerable.Range(start, count).Select(row =>
                    ScoreRowBatchedAsync(decoded[row].Image!.Pixels, prompts[row], parameters, cancellationToken))).ConfigureAwait(false);
                scored.CopyTo(rows, start);
                decoded.AsSpan(start, count).Clear();
            }

            return ScoringResult.Ok(MedImageParseResponseWriter.Write(rows), Stopwatch.GetElapsedTime(started));
        }

        for (int row = 0; row < rows.Length; row++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var image = decoded[row].Image!.Pixels;
            string[] rowPrompts = prompts[row];
            rows[row] = await Task.Run(() => ScoreRow(image, rowPrompts, parameters, cancellationToken), cancellationToken).ConfigureAwait(false);
            decoded[row] = default;
        }

        return ScoringResult.Ok(MedImageParseResponseWriter.Write(rows), Stopwatch.GetElapsedTime(started));
    }

    private bool ValidateDetection(MedImageParseParams parameters, out string error)
    {
        error = "";
        if (!parameters.NeedsPValues)
        {
            return true;
        }

        string asked = parameters.Recognition ? MedImageParseParams.RecognitionName : MedImageParseParams.DetectionName;
        if (_targets is null)
        {
            error = $"param '{asked}' needs the target distributions (target_dist.json), which this model package does not have";
            return false;
        }

        if (!_targets.HasModality(parameters.Modality!))
        {
            error = $"param '{MedImageParseParams.ModalityName}': unknown modality '{ScoringFrameParser.Truncate(parameters.Modality!)}'; this package knows: {string.Join(", ", _targets.Modalities)}";
            return false;
        }

        return true;
    }

    /// <summary>Every row needs an image, and prompts unless recognition chooses them.</summary>
    private bool TryReadRows(ScoringFrame frame, MedImageParseParams parameters, out byte[][] images, out string[][] prompts, out string error)
    {
        images = new byte[frame.RowCount][];
        prompts = new string[frame.RowCount][];
        for (int row = 0; row < frame.RowCount; row++)
        {
            if (!CellReader.TryReadBase64(frame, row, ImageColumn, out byte[]? image, out error)
                || !CellReader.TryReadText(frame, row, TextColumn, out string? text, out error))
            {
                return false;
            }

            if (image is null)
            {
                error = $"row {row}, column '{ImageColumn}': an image is required";
                return false;
            }

            images[row] = image;
            if (parameters.Recognition)
            {
                if (text is not null && text.Trim().Length > 0)
                {
                    error = $"row {row}, column '{TextColumn}': recognition segments every known target of the modality; leave the text empty";
                    return false;
                }

                prompts[row] = [.. _targets!.Targets(parameters.Modality!)];
                continue;
            }

            if (!MedImageParsePrompts.TryParse(text, row, TextColumn, MaxPrompts, out string[] parsed, out error))
            {
                return false;
            }

            prompts[row] = parsed;
        }

        error = "";
        return true;
    }

    /// <summary>Batching off: the row's own encoder runs (its prompts in chunks of <see cref="TextBatchLimit"/>), then the decoder.</summary>
    private MedImageParseRowResult ScoreRow(PixelBuffer image, string[] prompts, MedImageParseParams parameters, CancellationToken cancellationToken)
    {
        var prepared = Preprocessor.Prepare(image, parameters.AutoPreprocess);
        var text = EncodeTexts(prompts, cancellationToken);
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        using var features = EncodeImage(prepared.Tensor, runOptions);
        cancellationToken.ThrowIfCancellationRequested();
        return Decode(prepared, prompts, text, features, parameters, runOptions, cancellationToken);
    }

    /// <summary>One image's own <c>image_encoder</c> run; its outputs go to the decoder as they are.</summary>
    private ImageFeatures EncodeImage(float[] tensor, RunOptions runOptions)
    {
        var session = _package.Session(ImageEncoder);
        using var pixels = OrtFloatTensors.Input(session, session.InputNames[0], tensor, [1, 3, Preprocessor.ImageSize, Preprocessor.ImageSize]);
        return ImageFeatures.FromRun(session.OutputNames, session.Run(runOptions, [session.InputNames[0]], [pixels], session.OutputNames));
    }

    /// <summary>
    /// Batching on: the row's image and each of its prompts queue in the instance's batchers (so they may share
    /// runs with other requests' rows), then the decoder runs on the row's own features. Without an image
    /// batcher (one image per run) the image runs alone, with the decoder.
    /// </summary>
    private async Task<MedImageParseRowResult> ScoreRowBatchedAsync(PixelBuffer image, string[] prompts, MedImageParseParams parameters, CancellationToken cancellationToken)
    {
        var prepared = await Task.Run(() => Preprocessor.Prepare(image, parameters.AutoPreprocess), cancellationToken).ConfigureAwait(false);
        var encodings = new ClipEncoding[prompts.Length];
        for (int i = 0; i < encodings.Length; i++)
        {
            encodings[i] = _tokenizer.EncodeForModel(prompts[i], _contextLength);
        }

        var textTask = Task.WhenAll(encodings.Select(e => _textBatcher!.RunAsync(_contextLength, e, cancellationToken)));
        ImageFeatureRow? row = null;
        if (_imageBatcher is not null)
        {
            var imageTask = _imageBatcher.RunAsync(prepared.Tensor.Length, prepared.Tensor, cancellationToken);
            await Task.WhenAll(textTask, imageTask).ConfigureAwait(false);
            row = await imageTask.ConfigureAwait(false);
        }

        var text = new TextEmbeddings(await textTask.ConfigureAwait(false), [.. encodings.Select(e => (long)e.EosIndex)]);
        return await Task.Run(() =>
        {
            using var runOptions = new RunOptions();
            using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
            using var features = row is null ? EncodeImage(prepared.Tensor, runOptions) : ImageFeatures.FromRow(row);
            cancellationToken.ThrowIfCancellationRequested();
            return Decode(prepared, prompts, text, features, parameters, runOptions, cancellationToken);
        }, cancellationToken).ConfigureAwait(false);
    }

    private MedImageParseRowResult Decode(PreparedParseImage prepared, string[] prompts, TextEmbeddings text, ImageFeatures features,
        MedImageParseParams parameters, RunOptions runOptions, CancellationToken cancellationToken) =>
        parameters.Recognition
            ? Recognize(prepared, prompts, text, features.ByName, parameters, runOptions, cancellationToken)
            : Segment(prepared, prompts, text, features.ByName, parameters, runOptions, cancellationToken);

    /// <summary>The image batcher's runner: one <c>image_encoder</c> run over the pre-processed images of several rows.</summary>
    private ImageFeatureRow[] EncodeImageRows(IReadOnlyList<float[]> rows, CancellationToken cancellationToken)
    {
        float[] pixels = rows[0];
        if (rows.Count > 1)
        {
            int length = rows[0].Length;
            pixels = new float[rows.Count * length];
            for (int i = 0; i < rows.Count; i++)
            {
                rows[i].CopyTo(pixels.AsSpan(i * length, length));
            }
        }

        var session = _package.Session(ImageEncoder);
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        using var input = OrtFloatTensors.Input(session, session.InputNames[0], pixels, [rows.Count, 3, Preprocessor.ImageSize, Preprocessor.ImageSize]);
        using var outputs = session.Run(runOptions, [session.InputNames[0]], [input], session.OutputNames);
        cancellationToken.ThrowIfCancellationRequested();
        return ImageFeatureRow.Split(session.OutputNames, outputs, rows.Count);
    }

    /// <summary>All prompts in one decoder pass (they see each other, as in the reference).</summary>
    private MedImageParseRowResult Segment(PreparedParseImage prepared, string[] prompts, TextEmbeddings text,
        IReadOnlyDictionary<string, OrtValue> features, MedImageParseParams parameters, RunOptions runOptions, CancellationToken cancellationToken)
    {
        int n = prompts.Length;
        var output = prepared.Output;
        using var decoded = RunDecoder(features, text, [.. Enumerable.Range(0, n)], runOptions);
        cancellationToken.ThrowIfCancellationRequested();
        byte[] masks = new byte[(long)n * output.PixelCount];
        string[] categories = new string[n];
        double?[]? pValues = parameters.Detection ? new double?[n] : null;
        string?[]? reasons = parameters.Detection ? new string?[n] : null;
        float[] probability = new float[output.PixelCount];
        float[]? statistics = parameters.Detection && prepared.StatisticsDifferFromOutput ? new float[prepared.Statistics.PixelCount] : null;
        for (int i = 0; i < n; i++)
        {
            var (query, category) = PromptPostprocessor.Run(
                text.Class(i), decoded.Captions, decoded.Masks, decoded.ClassLogits, _maskHeight, _maskWidth, _temperature,
                output, probability, masks.AsSpan((int)((long)i * output.PixelCount), output.PixelCount));
            categories[i] = MedImageParseCategories.Names[category];
            if (parameters.Detection)
            {
                if (statistics is not null)
                {
                    Resample(decoded.Mask(query), prepared.Statistics, statistics);
                }

                (pValues![i], reasons![i]) = ExistencePValue(prepared, statistics ?? probability, parameters.Modality!, prompts[i]);
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        return new MedImageParseRowResult(masks, n, output.Height, output.Width, categories, pValues, reasons);
    }

    /// <summary>
    /// One decoder pass per target of the modality (the reference's batch size of one), p-values, then
    /// BiomedParse's filtering and merging; masks come back binary (255 where a target won the pixel).
    /// </summary>
    private MedImageParseRowResult Recognize(PreparedParseImage prepared, string[] targets, TextEmbeddings text,
        IReadOnlyDictionary<string, OrtValue> features, MedImageParseParams parameters, RunOptions runOptions, CancellationToken cancellationToken)
    {
        var window = prepared.Statistics;
        var candidates = new List<RecognitionCandidate>(targets.Length);
        for (int i = 0; i < targets.Length; i++)
        {
            using var decoded = RunDecoder(features, text, [i], runOptions);
            int query = QueryMatcher.BestQuery(text.Class(i), decoded.Captions, _temperature);
            float[] probability = new float[window.PixelCount];
            Resample(decoded.Mask(query), window, probability);
            var (pValue, _) = ExistencePValue(prepared, probability, parameters.Modality!, targets[i]);
            candidates.Add(new RecognitionCandidate(targets[i], probability, pValue ?? 0));
            cancellationToken.ThrowIfCancellationRequested();
        }

        var found = RecognitionMerger.Merge(RecognitionMerger.FilterByPValue(candidates, parameters.PValueThreshold));
        var output = prepared.Output;
        byte[] masks = new byte[(long)found.Count * output.PixelCount];
        for (int k = 0; k < found.Count; k++)
        {
            var destination = masks.AsSpan((int)((long)k * output.PixelCount), output.PixelCount);
            if (prepared.StatisticsDifferFromOutput)
            {
                MapNearest(found[k].Mask, window, prepared.Output, destination);
            }
            else
            {
                found[k].Mask.CopyTo(destination);
            }
        }

        return new MedImageParseRowResult(
            masks, found.Count, output.Height, output.Width,
            [.. found.Select(f => f.Target)], [.. found.Select(f => (double?)f.PValue)], null);
    }

    private (double? PValue, string? Reason) ExistencePValue(PreparedParseImage prepared, float[] probability, string modality, string target)
    {
        if (!_targets!.TryGet(modality, target, out var distributions))
        {
            return (null, $"no distribution for '{ScoringFrameParser.Truncate(target)}' in modality '{ScoringFrameParser.Truncate(modality)}'");
        }

        var statistics = MaskStatistics.Compute(probability, prepared.StatisticsImage.Data);
        return (ExistenceTest.PValue(statistics, distributions), null);
    }

    private void Resample(ReadOnlySpan<float> logits, MaskWindow window, Span<float> destination) =>
        MaskResampler.Resample(logits, _maskHeight, _maskWidth,
            window.FullHeight, window.FullWidth, window.Top, window.Left, window.Height, window.Width, destination);

    /// <summary>
    /// Recognition merges in the geometry the model saw (S×S: the stretched image, or the padded square with
    /// auto_preprocess); its binary masks go back to the original image by nearest neighbour through the window.
    /// </summary>
    private static void MapNearest(ReadOnlySpan<byte> source, MaskWindow sourceWindow, MaskWindow output, Span<byte> destination)
    {
        for (int y = 0; y < output.Height; y++)
        {
            int sy = Math.Min(sourceWindow.Height - 1, (int)((y + output.Top + 0.5) * sourceWindow.Height / output.FullHeight));
            for (int x = 0; x < output.Width; x++)
            {
                int sx = Math.Min(sourceWindow.Width - 1, (int)((x + output.Left + 0.5) * sourceWindow.Width / output.FullWidth));
                destination[(y * output.Width) + x] = source[(sy * sourceWindow.Width) + sx];
            }
        }
    }

    /// <summary>Batching off: the prompts' text_encoder runs, at most <see cref="TextBatchLimit"/> prompts each.</summary>
    private TextEmbeddings EncodeTexts(string[] prompts, CancellationToken cancellationToken)
    {
        var encodings = new ClipEncoding[prompts.Length];
        for (int i = 0; i < encodings.Length; i++)
        {
            encodings[i] = _tokenizer.EncodeForModel(prompts[i], _contextLength);
        }

        var embeddings = new PromptEmbedding[prompts.Length];
        for (int start = 0; start < encodings.Length; start += TextBatchLimit)
        {
            int count = Math.Min(TextBatchLimit, encodings.Length - start);
            EncodePromptRows(new ArraySegment<ClipEncoding>(encodings, start, count), cancellationToken).CopyTo(embeddings, start);
        }

        return new TextEmbeddings(embeddings, [.. encodings.Select(e => (long)e.EosIndex)]);
    }

    /// <summary>One text_encoder run over tokenised prompts (of one row, or of several requests when batching).</summary>
    private PromptEmbedding[] EncodePromptRows(IReadOnlyList<ClipEncoding> encodings, CancellationToken cancellationToken)
    {
        int n = encodings.Count;
        long[] ids = new long[n * _contextLength];
        long[] eos = new long[n];
        for (int i = 0; i < n; i++)
        {
            encodings[i].InputIds.CopyTo(ids.AsSpan(i * _contextLength));
            eos[i] = encodings[i].EosIndex;
        }

        var session = _package.Session(TextEncoder);
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [n, _contextLength]);
        using var eosValue = OrtValue.CreateTensorValueFromMemory(eos, [n]);
        using var outputs = session.Run(runOptions, [InputIds, EosIndex], [idsValue, eosValue], [TokenEmbeds, ClassEmbeds]);
        cancellationToken.ThrowIfCancellationRequested();
        // float32 read in place, float16 widened once.
        var tokens = OrtFloatTensors.Read(outputs[0]);
        var classes = OrtFloatTensors.Read(outputs[1]);
        int tokenLength = _contextLength * _dim;
        var embeddings = new PromptEmbedding[n];
        for (int i = 0; i < n; i++)
        {
            embeddings[i] = new PromptEmbedding(tokens.Slice(i * tokenLength, tokenLength).ToArray(), classes.Slice(i * _dim, _dim).ToArray());
        }

        return embeddings;
    }

    /// <summary>Runs the decoder on the image features and the valid tokens (BOS…EOS) of the given prompts, concatenated.</summary>
    private DecoderOutput RunDecoder(IReadOnlyDictionary<string, OrtValue> features, TextEmbeddings text, int[] prompts, RunOptions runOptions)
    {
        int tokens = prompts.Sum(p => (int)text.EosIndex[p] + 1);
        float[] grounding = new float[tokens * _dim];
        int offset = 0;
        foreach (int p in prompts)
        {
            int count = ((int)text.EosIndex[p] + 1) * _dim;
            text.Tokens(p)[..count].CopyTo(grounding.AsSpan(offset));
            offset += count;
        }

        var session = _package.Session(Decoder);
        using var groundingValue = OrtFloatTensors.Input(session, GroundingTokens, grounding, [tokens, 1, _dim]);
        var inputs = new OrtValue[session.InputNames.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            string name = session.InputNames[i];
            inputs[i] = name == GroundingTokens ? groundingValue : features[name];
        }

        return new DecoderOutput(session.Run(runOptions, session.InputNames, inputs, [PredMasks, PredCaptions, PredLogits]), _maskHeight * _maskWidth);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The batchers' pumps end first: they use the package's sessions.
        _imageBatcher?.Dispose();
        _textBatcher?.Dispose();
        _package.Dispose();
    }

    /// <summary>One prompt's text_encoder outputs, float32: token_embeds [77·D] and class_embeds [D].</summary>
    private sealed record PromptEmbedding(float[] Tokens, float[] Class);

    private sealed record TextEmbeddings(PromptEmbedding[] Prompts, long[] EosIndex)
    {
        public ReadOnlySpan<float> Tokens(int prompt) => Prompts[prompt].Tokens;

        public ReadOnlySpan<float> Class(int prompt) => Prompts[prompt].Class;
    }

    /// <summary>
    /// The decoder's outputs: float32 read in place (pred_masks is Q·M·M floats: not worth copying), float16
    /// widened once.
    /// </summary>
    private sealed class DecoderOutput(IDisposableReadOnlyCollection<OrtValue> outputs, int maskLength) : IDisposable
    {
        private readonly float[]? _masks = Widened(outputs[0]);
        private readonly float[]? _captions = Widened(outputs[1]);
        private readonly float[]? _logits = Widened(outputs[2]);

        public ReadOnlySpan<float> Masks => _masks ?? outputs[0].GetTensorDataAsSpan<float>();

        public ReadOnlySpan<float> Captions => _captions ?? outputs[1].GetTensorDataAsSpan<float>();

        public ReadOnlySpan<float> ClassLogits => _logits ?? outputs[2].GetTensorDataAsSpan<float>();

        private static float[]? Widened(OrtValue value) =>
            value.GetTensorTypeAndShape().ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float ? null : OrtFloatTensors.Read(value).ToArray();

        public ReadOnlySpan<float> Mask(int query) => Masks.Slice(query * maskLength, maskLength);

        public void Dispose() => outputs.Dispose();
    }
}
