using MedServe.Imaging;

namespace MedServe.Models.MedImageParse;

/// <summary>One image ready for MedImageParse.</summary>
/// <param name="Tensor">The encoder input, <c>3·S·S</c> floats, NCHW.</param>
/// <param name="Output">Where the response masks come from: the original image's geometry.</param>
/// <param name="StatisticsImage">The RGB image the existence statistics are measured on (the reference measures them on the image the model was given).</param>
/// <param name="Statistics">The mask geometry matching <paramref name="StatisticsImage"/>.</param>
public sealed record PreparedParseImage(float[] Tensor, MaskWindow Output, PixelBuffer StatisticsImage, MaskWindow Statistics)
{
    /// <summary>True when statistics are measured in another geometry than the response masks (auto_preprocess).</summary>
    public bool StatisticsDifferFromOutput => Statistics != Output;
}
