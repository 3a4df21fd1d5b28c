using System.Text.Json;
using MedServe.Onnx.Synthetic;
using SkiaSharp;

namespace MedServe.Server.Tests;

/// <summary>
/// What a MedImageParse response must hold, computed independently of the server's code: the wire
/// decoding a Python client does, and PyTorch's bilinear resize (align_corners = False) of the synthetic
/// decoder's rectangles written out per pixel.
/// </summary>
internal static class ParseExpectations
{
    /// <summary>
    /// Decodes <c>image_features</c> as the official client does: <c>json.loads</c> of the string, base64 of
    /// <c>data</c>, <c>frombuffer(uint8).reshape(shape)</c>.
    /// </summary>
    public static (byte[] Masks, int Count, int Height, int Width) DecodeMasks(JsonElement row)
    {
        var text = row.GetProperty("image_features");
        Assert.Equal(JsonValueKind.String, text.ValueKind);
        using var inner = JsonDocument.Parse(text.GetString()!);
        var root = inner.RootElement;
        Assert.Equal(["data", "shape", "dtype"], root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("uint8", root.GetProperty("dtype").GetString());
        int[] shape = [.. root.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32())];
        Assert.Equal(3, shape.Length);
        byte[] data = Convert.FromBase64String(root.GetProperty("data").GetString()!);
        Assert.Equal(shape[0] * shape[1] * shape[2], data.Length);
        return (data, shape[0], shape[1], shape[2]);
    }

    /// <summary>The categories of <c>text_features</c>.</summary>
    public static string[] Names(JsonElement row) => [.. row.GetProperty("text_features").EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>
    /// The uint8 mask of a rectangle query: logits 8 inside <see cref="SyntheticMedImageParse.MaskRectangle"/>
    /// and −8 outside, resized to <paramref name="fullHeight"/> × <paramref name="fullWidth"/> like
    /// <c>F.interpolate(bilinear, align_corners=False)</c>, cropped to the window, sigmoid, × 255 truncated.
    /// </summary>
    public static byte[] RectangleMask(int query, int fullHeight, int fullWidth, int top = 0, int left = 0, int? height = null, int? width = null)
    {
        int m = ParseServerFixture.MaskSize;
        var (x0, y0, x1, y1) = SyntheticMedImageParse.MaskRectangle(query, m, ParseServerFixture.Queries);
        float Logit(int y, int x) => x >= x0 && x < x1 && y >= y0 && y < y1 ? 8f : -8f;
        int h = height ?? fullHeight;
        int w = width ?? fullWidth;
        byte[] mask = new byte[h * w];
        for (int y = 0; y < h; y++)
        {
            (int a0, int a1, float v) = Source(top + y, m, fullHeight);
            for (int x = 0; x < w; x++)
            {
                (int b0, int b1, float u) = Source(left + x, m, fullWidth);
                float value = ((1 - v) * (((1 - u) * Logit(a0, b0)) + (u * Logit(a0, b1)))) + (v * (((1 - u) * Logit(a1, b0)) + (u * Logit(a1, b1))));
                float probability = (float)(1.0 / (1.0 + Math.Exp(-value)));
                mask[(y * w) + x] = (byte)(probability * 255f);
            }
        }

        return mask;
    }

    /// <summary>PyTorch's source index for bilinear, align_corners = False.</summary>
    private static (int I0, int I1, float Lambda) Source(int destination, int input, int output)
    {
        float source = Math.Max(0f, (((float)input / output) * (destination + 0.5f)) - 0.5f);
        int i0 = (int)source;
        return (i0, Math.Min(i0 + 1, input - 1), source - i0);
    }

    /// <summary>Asserts two masks agree within one level (float rounding order may differ from the reference by an ulp).</summary>
    public static void Close(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1, $"pixel {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    /// <summary>A PNG of one colour, with an optional rectangle of another.</summary>
    public static byte[] Png(int width, int height, SKColor fill, SKRectI? box = null, SKColor? boxColor = null)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bool inside = box is { } b && x >= b.Left && x < b.Right && y >= b.Top && y < b.Bottom;
                bitmap.SetPixel(x, y, inside ? boxColor!.Value : fill);
            }
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A hosted-shaped MedImageParse request body.</summary>
    public static string Request(IEnumerable<(byte[]? Image, string? Text)> rows, string? paramsJson = null, string columns = "[\"image\", \"text\"]")
    {
        var cells = rows.Select(r =>
            "[" + (r.Image is null ? "null" : "\"" + Convert.ToBase64String(r.Image) + "\"") + ", " + (r.Text is null ? "null" : JsonSerializer.Serialize(r.Text)) + "]").ToList();
        string parameters = paramsJson is null ? "" : $", \"params\": {paramsJson}";
        return "{\"input_data\": {\"columns\": " + columns + ", \"index\": [" + string.Join(", ", Enumerable.Range(0, cells.Count)) + "], \"data\": [" + string.Join(", ", cells) + "]}" + parameters + "}";
    }

    /// <summary>scipy's one-sample KS p-value for one sample: 2·min(F, 1 − F).</summary>
    public static double KsPValue(double cdf) => 2 * Math.Min(cdf, 1 - cdf);
}
