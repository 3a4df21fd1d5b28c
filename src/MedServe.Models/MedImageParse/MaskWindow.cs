namespace MedServe.Models.MedImageParse;

/// <summary>
/// Where a mask goes: the decoder's mask covers a <see cref="FullHeight"/> × <see cref="FullWidth"/>
/// geometry (the image the model saw, before its resize to S×S); the wanted output is the window of
/// <see cref="Height"/> × <see cref="Width"/> pixels at (<see cref="Top"/>, <see cref="Left"/>) of it.
/// </summary>
/// <param name="FullHeight">The height the mask is resized to.</param>
/// <param name="FullWidth">The width the mask is resized to.</param>
/// <param name="Top">The first row of the window.</param>
/// <param name="Left">The first column of the window.</param>
/// <param name="Height">The window's height.</param>
/// <param name="Width">The window's width.</param>
public sealed record MaskWindow(int FullHeight, int FullWidth, int Top, int Left, int Height, int Width)
{
    /// <summary>The whole of an <paramref name="height"/> × <paramref name="width"/> geometry.</summary>
    public static MaskWindow Whole(int height, int width) => new(height, width, 0, 0, height, width);

    /// <summary>Pixels in the window.</summary>
    public int PixelCount => Height * Width;
}
