namespace MedServe.Imaging;

/// <summary>The interleaved 8-bit sample layouts a <see cref="PixelBuffer"/> can hold.</summary>
public enum PixelFormat
{
    /// <summary>One sample per pixel: luminance (Pillow mode <c>L</c>).</summary>
    Gray8,

    /// <summary>Two samples per pixel: luminance, then unpremultiplied alpha (Pillow mode <c>LA</c>).</summary>
    GrayAlpha8,

    /// <summary>Three samples per pixel: red, green, blue (Pillow mode <c>RGB</c>).</summary>
    Rgb8,

    /// <summary>Four samples per pixel: red, green, blue, unpremultiplied alpha (Pillow mode <c>RGBA</c>).</summary>
    Rgba8,
}
