using System.Diagnostics;
using System.Text.Json;
using MedServe.Contracts;
using MedServe.Imaging;
using MedServe.Inference.Batching;
using MedServe.Inference.Packages;
using MedServe.Inference.Runtime;
using MedServe.Inference.Tokenization;
using MedServe.Models.Inputs;
using MedServe.Models.Scoring;
using Microsoft.ML.OnnxRuntime;

namespace MedServe.Models.CxrReportGen;

/// <summary>
/// CXRReportGen: grounded findings for a chest X-ray study, exactly as the hosted endpoint answers.
/// <code>
/// frame ─► columns/params/rows checked ─► images decoded (frontal, lateral, prior; parallel)
///   per row: pre-process (gray, stretch, resize, crop, normalise) ─► vision ─► image_embeds[n,P,H]
///              batching on:  each image joins the vision batcher (images of concurrent requests share runs)
///              batching off: the row's images, in runs of at most the vision graph's batch limit
///            prompt (MAIRA-2 wording, chat template) ─► SentencePiece ids, each &lt;image&gt; → P slots
///            ─► CxrGenerator (embed + decoder, KV cache, greedy) ─► FindingsParser (grammar)
///            ─► boxes (crop, or mapped to the original frontal) ─► FindingsJson
///   ─► [{"output": "[[sentence, null | boxes], …]"}, …]      grammar broken ─► 424 (model error)
/// </code>
/// Generation (embed + decoder) always runs one row at a time; only the vision graph is batched. An
/// undecodable image ends its own request with a 400 before anything is queued, so it never reaches a
/// shared run; a vision run that fails with images of several requests is run again image by image.
/// </summary>
public sealed class CxrReportGenModel : IScoringModel
{
    /// <summary>The task name in package manifests.</summary>
    public const string TaskName = "cxrreportgen";

    /// <summary>The tokenizer kind CXRReportGen packages use.</summary>
    public const string SentencePieceKind = "sentencepiece";

    internal const string FrontalColumn = "frontal_image";
    internal const string LateralColumn = "lateral_image";
    internal const string PriorColumn = "prior_image";
    internal const string IndicationColumn = "indication";
    internal const string TechniqueColumn = "technique";
    internal const string ComparisonColumn = "comparison";
    internal const string PriorReportColumn = "prior_report";

    // The hosted (Python) server writes the output string's quotes as \", not \u0022.
    private static readonly JsonSerializerOptions BodyOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = ContractsJsonContext.Default,
    };

    private static readonly string[] ImageColumns = [FrontalColumn, LateralColumn, PriorColumn];
    private static readonly string[] TextColumns = [IndicationColumn, TechniqueColumn, ComparisonColumn, PriorReportColumn];
    private static readonly string[] AllColumns = [.. ImageColumns, .. TextColumns];

    private readonly ModelPackage _package;
    private readonly GenerationSettings _generation;
    private readonly SentencePieceTextTokenizer _tokenizer;
    private readonly int _imageTokenId;
    private readonly ImageInputDecoder _inputDecoder;
    private readonly CxrGenerator _generator;
    private readonly FindingsParser _parser;
    private readonly DynamicBatcher<int, float[], float[]>? _visionBatcher;

    private CxrReportGenModel(ModelPackage package, SentencePieceTextTokenizer tokenizer, GroundingVocabulary grounding, ModelLoadOptions options)
    {
        _package = package;
        var manifest = package.Manifest;
        _generation = manifest.Generation!;
        _tokenizer = tokenizer;
        _imageTokenId = tokenizer.AddedTokens[_generation.ImageToken];
        _inputDecoder = new ImageInputDecoder(new ImageDecodeOptions { MaxPixels = options.MaxImagePixels }, options.Dicom);
        Preprocessor = new CxrReportGenPreprocessor(manifest.Preprocessing!);
        Prompts = new CxrPromptBuilder(_generation);
        _generator = new CxrGenerator(package.Session(CxrGraphNames.Embed), package.Session(CxrGraphNames.Decoder), _generation.Layers,
            _generation.KeyValueHeads, _generation.HeadDim, _generation.HiddenSize, _generation.VocabularySize, _generation.EosTokenIds);
        _parser = new FindingsParser(grounding, ids => tokenizer.Decode(ids, withSpecialTokens: false));
        VisionBatchLimit = EncoderBatch.Limit(manifest, CxrGraphNames.Vision);
        if (options.Batching is { } batching)
        {
            // One bucket: every image is pre-processed to the same [3,S,S] tensor.
            int size = Math.Min(batching.MaxBatchSize ?? VisionBatchLimit, VisionBatchLimit);
            _visionBatcher = new DynamicBatcher<int, float[], float[]>(size, batching.MaxQueueDelay,
                (_, rows, token) => EmbedImageRows(rows, token), options.Time);
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
                new ColumnDescriptor(FrontalColumn, true, "required: base64 PNG, JPEG or DICOM of the current frontal chest X-ray"),
                new ColumnDescriptor(LateralColumn, true, "base64 image of the current lateral view; null or \"\" when not sent"),
                new ColumnDescriptor(PriorColumn, true, "base64 image of the prior frontal view; null or \"\" when not sent"),
                new ColumnDescriptor(IndicationColumn, false, "the INDICATION section; \"N/A\" when not sent"),
                new ColumnDescriptor(TechniqueColumn, false, "the TECHNIQUE section; \"N/A\" when not sent"),
                new ColumnDescriptor(ComparisonColumn, false, "the COMPARISON section; \"N/A\" when not sent"),
                new ColumnDescriptor(PriorReportColumn, false, "the prior report; needs prior_image"),
            ],
            ResponseRowSchemaJson = ResponseRowSchema,
            Params =
            [
                new ParamDescriptor(CxrReportGenParams.GroundingName, "boolean", "true", "MedServe: false asks for plain findings (no boxes), up to max_new_tokens_plain tokens"),
                new ParamDescriptor(CxrReportGenParams.BoxCoordinatesName, "string", "\"crop\"", "MedServe: \"original\" maps boxes to the original frontal image instead of the centre-cropped square"),
                new ParamDescriptor(CxrReportGenParams.MaxNewTokensName, "integer", _generation.MaxNewTokens.ToString(System.Globalization.CultureInfo.InvariantCulture), "MedServe: the most tokens to generate, up to the package's limit"),
                new ParamDescriptor(CxrReportGenParams.NormalizationName, "string", "\"percentile\"", "DICOM only: window, percentile (1-99 % of all pixels), percentile:LOW:HIGH, percentile_nonzero:LOW:HIGH, ct:SITE, minmax"),
                new ParamDescriptor(CxrReportGenParams.DicomFrameName, "integer", "0", "DICOM only: the frame of a multi-frame file"),
            ],
        };
    }

    private const string ResponseRowSchema = """
        {"type": "object", "required": ["output"], "properties": {
          "output": {"type": "string", "description": "JSON: a list of [finding sentence, null | [[x_min, y_min, x_max, y_max], ...]], coordinates in 0..1 relative to the centre-cropped square (or the original frontal image with \"box_coordinates\": \"original\")"}}}
        """;

    /// <inheritdoc />
    public ModelDescriptor Descriptor { get; }

    /// <summary>The image pre-processor.</summary>
    public CxrReportGenPreprocessor Preprocessor { get; }

    /// <summary>The prompt builder.</summary>
    public CxrPromptBuilder Prompts { get; }

    /// <summary>The tokenizer.</summary>
    public SentencePieceTextTokenizer Tokenizer => _tokenizer;

    /// <summary>The most images one vision run takes: the graph's <c>max_batch_size</c>, else <c>limits.max_batch_size</c>.</summary>
    public int VisionBatchLimit { get; }

    /// <summary>The most images one vision run takes with batching on; null when batching is off.</summary>
    public int? BatchedRunSize => _visionBatcher?.MaxBatchSize;

    /// <summary>The element type of the language model's embeddings, logits and key/value cache: <c>float32</c> or <c>float16</c>.</summary>
    public string LanguageModelElementType => _generator.ElementType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float16 ? "float16" : "float32";

    /// <summary>Builds the model on a loaded package; takes ownership of the package.</summary>
    public static CxrReportGenModel Create(ModelPackage package, ModelLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(options);
        var problems = CxrPackageChecks.CheckManifest(package);
        if (problems.Count > 0)
        {
            throw new ModelPackageException(package.Directory, problems);
        }

        var settings = package.Manifest.Tokenizer!;
        var tokenizer = SentencePieceTextTokenizer.Load(package.PathOf(settings.Model!),
            settings.AddedTokens is null ? null : package.PathOf(settings.AddedTokens), settings.AddBos ?? true);
        var grounding = CxrPackageChecks.CheckTokenizer(package.Manifest, tokenizer, problems);
        if (problems.Count > 0)
        {
            throw new ModelPackageException(package.Directory, problems);
        }

        return new CxrReportGenModel(package, tokenizer, grounding!, options);
    }

    /// <inheritdoc />
    public async Task<ScoringResult> ScoreAsync(ScoringFrame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        long started = Stopwatch.GetTimestamp();
        if (!FrameShape.TryCheck(frame, Descriptor, "CXRReportGen", out string error)
            || !CxrReportGenParams.TryRead(frame.Params, _generation.MaxNewTokens, _generation.MaxNewTokensPlain, out var parameters, out error)
            || !TryReadRows(frame, out var rows, out error))
        {
            return ScoringResult.Error(400, error);
        }

        var (images, decodeError) = await DecodeImagesAsync(rows, parameters.Image, cancellationToken).ConfigureAwait(false);
        if (decodeError is not null)
        {
            return ScoringResult.Error(400, decodeError);
        }

        var results = new CxrReportGenResult[rows.Length];
        for (int row = 0; row < rows.Length; row++)
        {
            int r = row;
            float[] embeds = await EmbedImagesAsync(images[r], cancellationToken).ConfigureAwait(false);
            var (findings, failure) = await Task.Run(() => Report(r, rows[r], images[r], embeds, parameters, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return ScoringResult.ModelFailure(failure, Stopwatch.GetElapsedTime(started));
            }

            results[row] = new CxrReportGenResult { Output = FindingsJson.Write(findings!) };
        }

        byte[] body = JsonSerializer.SerializeToUtf8Bytes(results, BodyOptions.GetTypeInfo(typeof(CxrReportGenResult[])));
        return ScoringResult.Ok(body, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>One row: images → vision, prompt → ids, generate, parse; a grammar error is a model error.</summary>
    private (IReadOnlyList<Finding>? Findings, ModelError? Error) Report(int row, CxrRow input, DecodedImage[] images, float[] imageEmbeds,
        CxrReportGenParams parameters, CancellationToken cancellationToken)
    {
        var generated = Generate(input.Study, imageEmbeds, parameters.Grounding, parameters.MaxNewTokens, cancellationToken);
        // The logits may be wider than the tokenizer (Phi-3 pads 32,011 ids to 32,064); a padding id is a model error.
        int unknown = generated.Tokens.FirstOrDefault(id => id >= _tokenizer.VocabularySize, -1);
        if (unknown >= 0)
        {
            return (null, new ModelError
            {
                Reason = $"row {row}: the model generated id {unknown}, which the tokenizer does not have",
                Detail = _tokenizer.Decode(generated.Tokens.Where(id => id < _tokenizer.VocabularySize), withSpecialTokens: true),
            });
        }

        var findings = _parser.Parse(generated.Tokens, out string reason);
        if (findings is null)
        {
            return (null, new ModelError
            {
                Reason = $"row {row}: {reason}",
                Detail = _tokenizer.Decode(generated.Tokens, withSpecialTokens: true),
            });
        }

        if (parameters.OriginalCoordinates)
        {
            var crop = new CropGeometry(images[0].Pixels.Width, images[0].Pixels.Height);
            findings = [.. findings.Select(f => f with { Boxes = f.Boxes is null ? null : [.. f.Boxes.Select(crop.ToOriginal)] })];
        }

        return (findings, null);
    }

    /// <summary>Runs the vision graph and greedy decoding for one study; exposed for tests and benchmarks.</summary>
    internal GenerationResult Generate(CxrStudy study, DecodedImage[] images, bool grounded, int maxNewTokens, CancellationToken cancellationToken) =>
        Generate(study, EmbedImages(images, cancellationToken), grounded, maxNewTokens, cancellationToken);

    private GenerationResult Generate(CxrStudy study, float[] imageEmbeds, bool grounded, int maxNewTokens, CancellationToken cancellationToken)
    {
        var (ids, positions) = PromptIds(study, grounded);
        return _generator.Generate(ids, positions, imageEmbeds, maxNewTokens, cancellationToken);
    }

    /// <summary>The prompt's ids with each image placeholder expanded to P slots, and the slots' positions.</summary>
    internal (long[] Ids, int[] ImagePositions) PromptIds(CxrStudy study, bool grounded)
    {
        var encoded = _tokenizer.Encode(Prompts.Build(study, grounded));
        int perImage = _generation.ImageTokens;
        var ids = new List<long>(encoded.Count + (study.ImageCount * perImage));
        var positions = new List<int>(study.ImageCount * perImage);
        foreach (int id in encoded)
        {
            if (id != _imageTokenId)
            {
                ids.Add(id);
                continue;
            }

            for (int p = 0; p < perImage; p++)
            {
                positions.Add(ids.Count);
                ids.Add(id);
            }
        }

        if (positions.Count != study.ImageCount * perImage)
        {
            throw new InvalidOperationException($"the prompt holds {positions.Count / perImage} image placeholders for {study.ImageCount} images");
        }

        return ([.. ids], [.. positions]);
    }

    /// <summary>The image embeddings of one row, [n,P,H] packed: through the vision batcher when batching is on.</summary>
    internal async Task<float[]> EmbedImagesAsync(DecodedImage[] images, CancellationToken cancellationToken)
    {
        if (_visionBatcher is null)
        {
            return await Task.Run(() => EmbedImages(images, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        // Each image its own buffer: the batcher packs the images of a shared run into one tensor.
        int length = Preprocessor.TensorLength;
        var rows = await Task.Run(() => images.Select(image =>
        {
            var row = new float[length];
            Preprocessor.Process(image.Pixels, row);
            return row;
        }).ToArray(), cancellationToken).ConfigureAwait(false);
        var outputs = await Task.WhenAll(rows.Select(row => _visionBatcher.RunAsync(length, row, cancellationToken))).ConfigureAwait(false);
        return Concat(outputs);
    }

    /// <summary>The image embeddings of one row without batching: its images in runs of at most <see cref="VisionBatchLimit"/>.</summary>
    internal float[] EmbedImages(DecodedImage[] images, CancellationToken cancellationToken)
    {
        int length = Preprocessor.TensorLength;
        var outputs = new List<float[]>(images.Length);
        for (int start = 0; start < images.Length; start += VisionBatchLimit)
        {
            int count = Math.Min(VisionBatchLimit, images.Length - start);
            var pixels = new float[count * length];
            for (int i = 0; i < count; i++)
            {
                Preprocessor.Process(images[start + i].Pixels, pixels.AsSpan(i * length, length));
            }

            outputs.Add(RunVision(pixels, count, cancellationToken));
        }

        return Concat(outputs);
    }

    /// <summary>The vision batcher's runner: packs the images of several requests into one tensor, one output per image.</summary>
    private float[][] EmbedImageRows(IReadOnlyList<float[]> rows, CancellationToken cancellationToken)
    {
        int length = Preprocessor.TensorLength;
        var pixels = new float[rows.Count * length];
        for (int i = 0; i < rows.Count; i++)
        {
            rows[i].CopyTo(pixels.AsSpan(i * length, length));
        }

        float[] embeds = RunVision(pixels, rows.Count, cancellationToken);
        int perImage = _generation.ImageTokens * _generation.HiddenSize;
        var outputs = new float[rows.Count][];
        for (int i = 0; i < outputs.Length; i++)
        {
            outputs[i] = embeds.AsSpan(i * perImage, perImage).ToArray();
        }

        return outputs;
    }

    /// <summary>One vision run over <paramref name="count"/> pre-processed images, in the graph's float type (fp16 packages) at the edge.</summary>
    private float[] RunVision(float[] pixels, int count, CancellationToken cancellationToken)
    {
        var session = _package.Session(CxrGraphNames.Vision);
        int size = Preprocessor.ImageSize;
        int expected = count * _generation.ImageTokens * _generation.HiddenSize;
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        using var input = OrtFloatTensors.Input(session, CxrGraphNames.PixelValues, pixels, [count, 3, size, size]);
        try
        {
            using var outputs = session.Run(runOptions, [CxrGraphNames.PixelValues], [input], [CxrGraphNames.ImageEmbeds]);
            var embeds = OrtFloatTensors.Read(outputs[0]);
            if (embeds.Length != expected)
            {
                throw new InvalidOperationException($"the vision graph gave {embeds.Length} values for {count} images; {expected} were expected");
            }

            cancellationToken.ThrowIfCancellationRequested();
            return embeds.ToArray();
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    private static float[] Concat(IReadOnlyList<float[]> parts)
    {
        if (parts.Count == 1)
        {
            return parts[0];
        }

        var all = new float[parts.Sum(p => p.Length)];
        int offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(all, offset);
            offset += part.Length;
        }

        return all;
    }

    private bool TryReadRows(ScoringFrame frame, out CxrRow[] rows, out string error)
    {
        rows = new CxrRow[frame.RowCount];
        for (int row = 0; row < frame.RowCount; row++)
        {
            var images = new byte[]?[ImageColumns.Length];
            for (int i = 0; i < ImageColumns.Length; i++)
            {
                if (!CellReader.TryReadBase64(frame, row, ImageColumns[i], out images[i], out error))
                {
                    return false;
                }
            }

            var texts = new string?[TextColumns.Length];
            for (int i = 0; i < TextColumns.Length; i++)
            {
                if (!CellReader.TryReadText(frame, row, TextColumns[i], out texts[i], out error))
                {
                    return false;
                }

                if (texts[i] is { } text && FindControlToken(text) is { } token)
                {
                    error = $"row {row}, column '{TextColumns[i]}': contains the model's control token '{token}', which a text cell may not hold";
                    return false;
                }
            }

            if (images[0] is null)
            {
                error = $"row {row}: column '{FrontalColumn}' is required (a base64 PNG, JPEG or DICOM image)";
                return false;
            }

            if (texts[3] is not null && images[2] is null)
            {
                error = $"row {row}: column '{PriorReportColumn}' needs column '{PriorColumn}' (the prior report is read against the prior frontal image)";
                return false;
            }

            var study = new CxrStudy(images[1] is not null, images[2] is not null, texts[0], texts[1], texts[2], texts[3]);
            rows[row] = new CxrRow(study, images);
        }

        error = "";
        return true;
    }

    private string? FindControlToken(string text)
    {
        foreach (string token in _tokenizer.AddedTokens.Keys)
        {
            if (text.Contains(token, StringComparison.Ordinal))
            {
                return token;
            }
        }

        return null;
    }

    /// <summary>Decodes every image of every row (in parallel) before any graph runs; the first failure names its row and column.</summary>
    private async Task<(DecodedImage[][] Images, string? Error)> DecodeImagesAsync(CxrRow[] rows, ImageInputOptions options, CancellationToken cancellationToken)
    {
        var jobs = new List<(int Row, int Column, Task<(DecodedImage? Image, string? Error)> Task)>();
        for (int row = 0; row < rows.Length; row++)
        {
            for (int column = 0; column < ImageColumns.Length; column++)
            {
                if (rows[row].Images[column] is { } bytes)
                {
                    jobs.Add((row, column, Task.Run(() => _inputDecoder.DecodeAsync(bytes, options, cancellationToken), cancellationToken)));
                }
            }
        }

        await Task.WhenAll(jobs.Select(j => j.Task)).ConfigureAwait(false);
        var decoded = new List<DecodedImage>[rows.Length];
        foreach (var (row, column, task) in jobs)
        {
            var (image, error) = task.Result;
            if (error is not null)
            {
                return ([], $"row {row}, column '{ImageColumns[column]}': {error}");
            }

            (decoded[row] ??= []).Add(image!);
        }

        return ([.. decoded.Select(d => d.ToArray())], null);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The batcher's pumps end first: they use the package's vision session.
        _visionBatcher?.Dispose();
        _package.Dispose();
    }
}
