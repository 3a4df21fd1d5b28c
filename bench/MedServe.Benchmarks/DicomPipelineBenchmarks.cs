using BenchmarkDotNet.Attributes;
using MedServe.Dicom;
using MedServe.Dicom.Rendering;
using MedServe.Dicom.Worker;
using MedServe.Imaging;
using MedServe.Models.Inputs;
using MedServe.Models.MedImageInsight;

namespace MedServe.Benchmarks;

/// <summary>
/// A 2048² 16-bit (12 stored) MONOCHROME1 CR, native and JPEG 2000 lossless, to the MedImageInsight
/// tensor, step by step:
/// <code>
/// Decode           DicomDecoder.DecodeAsync: IPC to a warm worker + GDCM decode + samples back
/// Render*          DicomRenderer.Render: modality rescale, percentile 1–99 or the file's window, MONOCHROME1
/// Preprocess       MedImageInsightPreprocessor.Process of the rendered 8-bit image (resize 512, JPEG q75, 480, NCHW)
/// WholeCell        ImageInputDecoder.DecodeAsync (percentile default) + Process: what one DICOM cell costs
/// </code>
/// Needs GDCM (libgdcm-cil) to write its input; without it the suite compiles and its setup refuses.
/// </summary>
[MemoryDiagnoser]
public class DicomPipelineBenchmarks
{
    private const int Side = 2048;
    private const int StandardizationSize = 512;
    private const int JpegQuality = 75;

    private static readonly ImageInputOptions CellOptions = new(DicomNormalization.MedImageInsightDefault, DicomFrame: 0);

    private byte[] _file = [];
    private DicomDecoder _decoder = null!;
    private ImageInputDecoder _inputDecoder = null!;
    private DicomFrame _frame = null!;
    private DecodedImage _rendered = null!;
    private MedImageInsightPreprocessor _preprocessor = null!;
    private float[] _tensor = [];

    /// <summary>The transfer syntax of the file: <c>Native</c> (Explicit VR LE) or <c>Jpeg2000Lossless</c>.</summary>
    [Params("Native", "Jpeg2000Lossless")]
    public string Syntax { get; set; } = "Native";

    [GlobalSetup]
    public void Setup()
    {
        string uid = Syntax switch
        {
            "Native" => BenchDicom.Native,
            "Jpeg2000Lossless" => BenchDicom.Jpeg2000Lossless,
            _ => throw new InvalidOperationException($"unknown syntax {Syntax}"),
        };
        _file = BenchDicom.Write(Side, uid);
        _decoder = new DicomDecoder(new DicomDecoderOptions { PoolSize = 1 });
        if (_decoder.UnavailableReason is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        _inputDecoder = new ImageInputDecoder(ImageDecodeOptions.Default, _decoder);

        // Starts the worker, so every measured decode finds it warm; also checks the input is what it claims.
        DicomDecodeResult result = _decoder.DecodeAsync(_file, 0, DicomDecodeLimits.Default).GetAwaiter().GetResult();
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException(result.Error);
        }

        _frame = result.Frame;
        DicomImage image = _frame.Image;
        if (image.TransferSyntaxUid != uid || image.Rows != Side || image.BitsStored != 12
            || image.PhotometricInterpretation != "MONOCHROME1" || image.Windows.Count != 1
            || Math.Abs(image.RescaleSlope - BenchDicom.RescaleSlope) > 1e-9)
        {
            throw new InvalidOperationException($"the benchmark file is not the intended CR: {image}");
        }

        if (!_frame.Samples.AsSpan().SequenceEqual(BenchDicom.Samples(Side)))
        {
            throw new InvalidOperationException("the decoded samples differ from the written ones");
        }

        PixelBuffer pixels = DicomRenderer.Render(_frame, DicomNormalization.MedImageInsightDefault);
        _rendered = new DecodedImage(pixels, ImageFormat.Dicom, IsPalette: false, SourceBitDepth: image.BitsStored);
        _preprocessor = new MedImageInsightPreprocessor(MedImageInsightDefaults.Preprocessing);
        _tensor = new float[_preprocessor.TensorLength];
    }

    [GlobalCleanup]
    public void Cleanup() => _decoder.Dispose();

    /// <summary>Decode + IPC: bytes to the worker, stored samples back.</summary>
    [Benchmark]
    public async Task<DicomFrame> Decode()
    {
        DicomDecodeResult result = await _decoder.DecodeAsync(_file, 0, DicomDecodeLimits.Default).ConfigureAwait(false);
        return result.Frame ?? throw new InvalidOperationException(result.Error);
    }

    /// <summary>Transform with the MedImageInsight default: rescale, percentile 1–99, MONOCHROME1 inversion.</summary>
    [Benchmark]
    public PixelBuffer RenderPercentile() => DicomRenderer.Render(_frame, DicomNormalization.MedImageInsightDefault);

    /// <summary>Transform with <c>window</c>: rescale, the file's window, MONOCHROME1 inversion.</summary>
    [Benchmark]
    public PixelBuffer RenderWindow() => DicomRenderer.Render(_frame, WindowNormalization.Instance);

    /// <summary>Resize + tensor: the MedImageInsight pre-processing of the rendered 8-bit image.</summary>
    [Benchmark]
    public float[] Preprocess()
    {
        _preprocessor.Process(_rendered, StandardizationSize, JpegQuality, _tensor);
        return _tensor;
    }

    /// <summary>The whole cell: sniff, decode in the worker, render (percentile default), pre-process.</summary>
    [Benchmark]
    public async Task<float[]> WholeCell()
    {
        (DecodedImage? image, string? error) = await _inputDecoder.DecodeAsync(_file, CellOptions, CancellationToken.None).ConfigureAwait(false);
        _preprocessor.Process(image ?? throw new InvalidOperationException(error), StandardizationSize, JpegQuality, _tensor);
        return _tensor;
    }
}
