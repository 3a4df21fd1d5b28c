namespace MedServe.Models.MedImageParse.Detection;

/// <summary>A target that recognition found, with the pixels it was given.</summary>
/// <param name="Target">The target name.</param>
/// <param name="PValue">The target's existence p-value.</param>
/// <param name="Mask">H·W bytes row-major: 255 where the pixel was given to this target, 0 elsewhere (the uint8
/// probability × 255 wire format, so a client threshold of 127 gives the reference's binary mask).</param>
public sealed record RecognizedTarget(string Target, double PValue, byte[] Mask);
