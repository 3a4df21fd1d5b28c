namespace MedServe.Imaging.Overlays;

/// <summary>Opaque, aliased drawing straight into an <see cref="PixelFormat.Rgb8"/> buffer, so drawn colours stay exact.</summary>
internal static class RgbPainter
{
    /// <summary>Fills a rectangle, clipped to the image.</summary>
    public static void Fill(PixelBuffer target, int left, int top, int width, int height, OverlayColor color)
    {
        if (target.Format != PixelFormat.Rgb8)
        {
            throw new ArgumentException($"Expected Rgb8, got {target.Format}.", nameof(target));
        }

        int x0 = Math.Max(0, left);
        int x1 = Math.Min(target.Width, left + width);
        int y0 = Math.Max(0, top);
        int y1 = Math.Min(target.Height, top + height);
        for (int y = y0; y < y1; y++)
        {
            var row = target.Row(y);
            for (int x = x0; x < x1; x++)
            {
                row[x * 3] = color.R;
                row[(x * 3) + 1] = color.G;
                row[(x * 3) + 2] = color.B;
            }
        }
    }
}
