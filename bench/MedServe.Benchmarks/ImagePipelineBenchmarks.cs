using BenchmarkDotNet.Attributes;
using MedServe.Imaging;
using MedServe.Models.MedImageInsight;

namespace MedServe.Benchmarks;

/// <summary>
/// The MedImageInsight image path per image: decode (8-bit and 16-bit gray PNG, JPEG), the Pillow-compatible
/// resize to 480 (MedImageInsight), 512 (the standardisation step) and 1024 (MedImageParse), and the whole
/// pre-processing (standardise 512 + JPEG q75 round trip + 480 bicubic + normalise) on a chest-X-ray
/// sized input.
/// </summary>
[MemoryDiagnoser]
public class ImagePipelineBenchmarks
{
    private byte[] _png = [];
    private byte[] _jpeg = [];
    private byte[] _png16 = [];
    private PixelBuffer _gray = null!;
    private DecodedImage _decoded = null!;
    private MedImageInsightPreprocessor _preprocessor = null!;
    private float[] _tensor = [];

    [Params(1024, 2048)]
    public int Side { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _png = BenchImages.Png(Side, Side);
        _jpeg = BenchImages.Jpeg(Side, Side);
        _png16 = BenchImages.Png16(Side, Side);
        _decoded = ImageDecoder.Decode(_png, ImageDecodeOptions.Default);
        _gray = ImageConverter.ToGray(_decoded.Pixels);
        _preprocessor = new MedImageInsightPreprocessor(MedImageInsightDefaults.Preprocessing);
        _tensor = new float[_preprocessor.TensorLength];
    }

    [Benchmark]
    public DecodedImage DecodePng() => ImageDecoder.Decode(_png, ImageDecodeOptions.Default);

    [Benchmark]
    public DecodedImage DecodePng16() => ImageDecoder.Decode(_png16, ImageDecodeOptions.Default);

    [Benchmark]
    public DecodedImage DecodeJpeg() => ImageDecoder.Decode(_jpeg, ImageDecodeOptions.Default);

    [Benchmark]
    public PixelBuffer ResizeGrayTo512Bicubic() => PillowResampler.Resize(_gray, 512, 512, ResampleFilter.Bicubic);

    [Benchmark]
    public PixelBuffer ResizeGrayTo480Bicubic() => PillowResampler.Resize(_gray, 480, 480, ResampleFilter.Bicubic);

    [Benchmark]
    public PixelBuffer ResizeGrayTo1024Bicubic() => PillowResampler.Resize(_gray, 1024, 1024, ResampleFilter.Bicubic);

    [Benchmark]
    public float[] PreprocessDecoded()
    {
        _preprocessor.Process(_decoded, 512, 75, _tensor);
        return _tensor;
    }
}
