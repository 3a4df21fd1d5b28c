namespace MedServe.Imaging;

/// <summary>Mode conversions with Pillow's <c>Image.convert</c> semantics.</summary>
public static class ImageConverter
{
    /// <summary>
    /// Converts to <see cref="PixelFormat.Rgb8"/> as Pillow's <c>convert("RGB")</c>: gray is replicated into
    /// all three channels and alpha is dropped without compositing onto any background.
    /// </summary>
    /// <param name="source">The image; not modified.</param>
    /// <returns>A new RGB buffer (a copy when the source is already RGB).</returns>
    public static PixelBuffer ToRgb(PixelBuffer source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var result = new PixelBuffer(source.Width, source.Height, PixelFormat.Rgb8);
        ReadOnlySpan<byte> src = source.Data;
        Span<byte> dst = result.Data;
        int channels = source.Channels;
        switch (source.Format)
        {
            case PixelFormat.Rgb8:
                src.CopyTo(dst);
                break;
            case PixelFormat.Rgba8:
                for (int i = 0, j = 0; j < dst.Length; i += 4, j += 3)
                {
                    dst[j] = src[i];
                    dst[j + 1] = src[i + 1];
                    dst[j + 2] = src[i + 2];
                }

                break;
            default:
                for (int i = 0, j = 0; j < dst.Length; i += channels, j += 3)
                {
                    byte l = src[i];
                    dst[j] = l;
                    dst[j + 1] = l;
                    dst[j + 2] = l;
                }

                break;
        }

        return result;
    }

    /// <summary>
    /// Converts to <see cref="PixelFormat.Gray8"/> as Pillow's <c>convert("L")</c>: ITU-R 601-2 luma
    /// L = R·299/1000 + G·587/1000 + B·114/1000, computed as Pillow does in 16-bit fixed point
    /// (<c>(R·19595 + G·38470 + B·7471 + 0x8000) &gt;&gt; 16</c>), i.e. rounded to nearest. Alpha is dropped.
    /// </summary>
    /// <param name="source">The image; not modified.</param>
    /// <returns>A new gray buffer (a copy when the source is already gray).</returns>
    public static PixelBuffer ToGray(PixelBuffer source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var result = new PixelBuffer(source.Width, source.Height, PixelFormat.Gray8);
        ReadOnlySpan<byte> src = source.Data;
        Span<byte> dst = result.Data;
        int channels = source.Channels;
        if (source.Format is PixelFormat.Gray8 or PixelFormat.GrayAlpha8)
        {
            for (int i = 0, j = 0; j < dst.Length; i += channels, j++)
            {
                dst[j] = src[i];
            }

            return result;
        }

        for (int i = 0, j = 0; j < dst.Length; i += channels, j++)
        {
            dst[j] = (byte)(((src[i] * 19595) + (src[i + 1] * 38470) + (src[i + 2] * 7471) + 0x8000) >> 16);
        }

        return result;
    }
}
