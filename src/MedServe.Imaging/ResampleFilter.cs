namespace MedServe.Imaging;

/// <summary>The Pillow resampling filters <see cref="PillowResampler"/> reproduces.</summary>
public enum ResampleFilter
{
    /// <summary>Pillow's <c>Image.NEAREST</c>: pick the source pixel under each output pixel centre.</summary>
    Nearest,

    /// <summary>Pillow's <c>Image.BILINEAR</c>: triangle filter, support 1, widened when downscaling.</summary>
    Bilinear,

    /// <summary>Pillow's <c>Image.BICUBIC</c>: Keys cubic with a = −0.5, support 2, widened when downscaling.</summary>
    Bicubic,
}
