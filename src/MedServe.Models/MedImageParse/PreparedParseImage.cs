using MedServe.Imaging;

namespace MedServe.Models.MedImageParse;

/// <summary>One image ready for MedImageParse.</summary>
/// <param name="Tensor">The encoder input, <c>3·S·S</c> floats, NCHW.</param>
/// <param name="Output">Where the response masks come from: the original image's geometry.</param>
/// <param name="StatisticsImage">
/// The S×S RGB image the model was given: the existence statistics are measured on it and recognition
/// merges in its geometry, as the reference does on its 1024² input. This also bounds their memory by S²
/// whatever the size of the image sent.
/// </param>
/// <param name="Statistics">The mask geometry matching <paramref name="StatisticsImage"/>: the whole S×S square.</param>
public sealed record PreparedParseImage(float[] Tensor, MaskWindow Output, PixelBuffer StatisticsImage, MaskWindow Statistics)
{
    /// <summary>True when statistics are measured in another geometry than the response masks (any image that is not exactly S×S, or padded).</summary>
    public bool StatisticsDifferFromOutput => Statistics != Output;
}
