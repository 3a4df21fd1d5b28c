namespace MedServe.Onnx.Synthetic;

/// <summary>
/// A MedImageInsight image encoder with real compute: the real signature
/// <c>pixel_values[batch, 3, 480, 480] → image_embeds[batch, 1024]</c>, behind three convolutions and four
/// MatMuls of <see cref="FlopsPerImage"/> (≈ 98 MFLOP) per image, so batching and thread settings show on a
/// CPU (the demo encoder's few kFLOP do not). Its embeddings are deterministic but no known closed form:
/// use it to measure, not to check values.
/// </summary>
public static class SyntheticComputeHeavy
{
    /// <summary>The recipe written into the graph's metadata.</summary>
    public const string Recipe = "image_encoder_compute_heavy/v1";

    /// <summary>
    /// Floating-point operations per image, counting a multiply-add as two: the convolutions'
    /// 2·C_out·C_in·k²·H_out·W_out plus the MatMuls' 2·K·N. Bias adds, ReLUs and the pooling (≈ 0.6 MFLOP
    /// together) are not counted.
    /// </summary>
    public const long FlopsPerImage = SyntheticComputeHeavyEncoder.FlopsPerImage;

    /// <summary>The serialized image encoder (480² input, 1024-d output).</summary>
    public static byte[] ImageEncoderBytes() => SyntheticComputeHeavyEncoder.Build().ToModelBytes();

    /// <summary>The image encoder's inputs and outputs: exactly the demo encoder's at 480² and 1024-d.</summary>
    public static OnnxModelSignature ImageEncoderSignature() => SyntheticMedImageInsight.ImageEncoderSignature();
}
