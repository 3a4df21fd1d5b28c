using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace MedServe.Imaging;

/// <summary>
/// A PNG decoder that yields the stored sample values exactly (see <see cref="ImageDecoder"/> for the mapping).
/// </summary>
/// <remarks>
/// <code>
///  chunks (CRC-checked) ─► IHDR ─► size limits ─► IDAT… (in place) ─► inflate ─► per row: unfilter ─► expand to 8-bit ─► place
///                                                                     (Adam7: per pass, scattered into place)
/// </code>
/// Rows are inflated and unfiltered one at a time, straight from the IDAT chunks of the input
/// (<see cref="IdatStream"/>), so memory beyond the output is two rows.
/// Skia is not used for PNG: it has no gray+alpha colour type (it widens to RGBA), it reduces 16-bit
/// samples by its own rule, applies gray/RGB <c>tRNS</c> colour keys as alpha, and does not report palette
/// or bit depth, all of which the pipeline needs to match Pillow.
/// </remarks>
internal static class PngReader
{
    internal const string CorruptMessage = "truncated or corrupt PNG data";

    private const uint Ihdr = 0x49484452;
    private const uint Plte = 0x504C5445;
    private const uint Trns = 0x74524E53;
    private const uint Idat = 0x49444154;
    private const uint Iend = 0x49454E44;

    // Adam7 passes: x start, y start, x step, y step.
    private static ReadOnlySpan<byte> Adam7 => [0, 0, 8, 8, 4, 0, 8, 8, 0, 4, 4, 8, 2, 0, 4, 4, 0, 2, 2, 4, 1, 0, 2, 2, 0, 1, 1, 2];

    public static DecodedImage Decode(ReadOnlySpan<byte> bytes, ImageDecodeOptions options)
    {
        int pos = 8;
        Header? header = null;
        byte[]? palette = null;
        byte[]? paletteAlpha = null;
        var idat = new List<(int Offset, int Length)>();
        bool ended = false;
        while (!ended)
        {
            if (bytes.Length - pos < 12)
            {
                // Tolerate a missing IEND once image data has been seen; inflate will tell if it is short.
                if (idat.Count > 0 && bytes.Length == pos)
                {
                    break;
                }

                throw Corrupt();
            }

            uint length = BinaryPrimitives.ReadUInt32BigEndian(bytes[pos..]);
            uint type = BinaryPrimitives.ReadUInt32BigEndian(bytes[(pos + 4)..]);
            if (length > int.MaxValue || length > (uint)(bytes.Length - pos - 12))
            {
                throw Corrupt();
            }

            ReadOnlySpan<byte> data = bytes.Slice(pos + 8, (int)length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(bytes[(pos + 8 + (int)length)..]);
            if (Crc32.Compute(bytes.Slice(pos + 4, (int)length + 4)) != crc)
            {
                throw Corrupt();
            }

            if (header is null && type != Ihdr)
            {
                throw Corrupt();
            }

            switch (type)
            {
                case Ihdr:
                    header = Header.Parse(data);
                    ImageDecoder.CheckLimits(header.Width, header.Height, options);
                    break;
                case Plte:
                    if (data.Length == 0 || data.Length % 3 != 0 || data.Length > 768)
                    {
                        throw Corrupt();
                    }

                    palette = data.ToArray();
                    break;
                case Trns:
                    paletteAlpha = data.ToArray();
                    break;
                case Idat:
                    idat.Add((pos + 8, (int)length));
                    break;
                case Iend:
                    ended = true;
                    break;
                default:
                    break;
            }

            pos += 12 + (int)length;
        }

        if (header is null || idat.Count == 0 || (header.ColorType == 3 && palette is null))
        {
            throw Corrupt();
        }

        if (header.ColorType != 3)
        {
            // A colour key on gray/RGB stays metadata in Pillow (info["transparency"]), not an alpha channel.
            paletteAlpha = null;
        }

        PixelFormat format = header.ColorType switch
        {
            0 => PixelFormat.Gray8,
            2 => PixelFormat.Rgb8,
            3 => paletteAlpha is null ? PixelFormat.Rgb8 : PixelFormat.Rgba8,
            4 => PixelFormat.GrayAlpha8,
            _ => PixelFormat.Rgba8,
        };
        var pixels = new PixelBuffer(header.Width, header.Height, format);
        unsafe
        {
            // Pinned while the IDAT payloads are inflated in place (no copy of the compressed data).
            fixed (byte* file = bytes)
            {
                using var stream = new ZLibStream(new IdatStream(file, idat), CompressionMode.Decompress);
                try
                {
                    Inflate(stream, header, palette, paletteAlpha, pixels);
                }
                catch (InvalidDataException e)
                {
                    throw new ImageDecodeException(CorruptMessage, e);
                }
            }
        }

        return new DecodedImage(pixels, ImageFormat.Png, header.ColorType == 3, header.BitDepth);
    }

    private static void Inflate(Stream stream, Header header, byte[]? palette, byte[]? paletteAlpha, PixelBuffer pixels)
    {
        int bitsPerPixel = header.BitDepth * header.Samples;
        int filterStride = Math.Max(1, bitsPerPixel / 8);
        int maxRowBytes = (int)((((long)header.Width * bitsPerPixel) + 7) / 8);
        int channels = pixels.Channels;
        byte[] rented = ArrayPool<byte>.Shared.Rent((2 * (maxRowBytes + 1)) + (header.Width * channels));
        try
        {
            Span<byte> current = rented.AsSpan(0, maxRowBytes + 1);
            Span<byte> previous = rented.AsSpan(maxRowBytes + 1, maxRowBytes + 1);
            Span<byte> expanded = rented.AsSpan(2 * (maxRowBytes + 1), header.Width * channels);
            if (!header.Interlaced)
            {
                DecodePass(stream, header, palette, paletteAlpha, pixels, 0, 0, 1, 1, current, previous, expanded, filterStride);
                return;
            }

            for (int p = 0; p < 7; p++)
            {
                ReadOnlySpan<byte> pass = Adam7.Slice(p * 4, 4);
                DecodePass(stream, header, palette, paletteAlpha, pixels, pass[0], pass[1], pass[2], pass[3], current, previous, expanded, filterStride);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void DecodePass(
        Stream stream,
        Header header,
        byte[]? palette,
        byte[]? paletteAlpha,
        PixelBuffer pixels,
        int x0,
        int y0,
        int dx,
        int dy,
        Span<byte> current,
        Span<byte> previous,
        Span<byte> expanded,
        int filterStride)
    {
        int width = (header.Width - x0 + dx - 1) / dx;
        int height = (header.Height - y0 + dy - 1) / dy;
        if (width <= 0 || height <= 0)
        {
            return;
        }

        int rowBytes = (int)((((long)width * header.BitDepth * header.Samples) + 7) / 8);
        Span<byte> cur = current[..(rowBytes + 1)];
        Span<byte> prev = previous[..(rowBytes + 1)];
        prev.Clear();
        int channels = pixels.Channels;
        for (int r = 0; r < height; r++)
        {
            if (stream.ReadAtLeast(cur, cur.Length, throwOnEndOfStream: false) < cur.Length)
            {
                throw Corrupt();
            }

            Unfilter(cur[0], cur[1..], prev[1..], filterStride);
            Span<byte> target = dx == 1 ? pixels.Row(y0 + (r * dy)) : expanded[..(width * channels)];
            Expand(cur[1..], width, header, palette, paletteAlpha, target);
            if (dx != 1)
            {
                Span<byte> row = pixels.Row(y0 + (r * dy));
                for (int x = 0; x < width; x++)
                {
                    target.Slice(x * channels, channels).CopyTo(row[((x0 + (x * dx)) * channels)..]);
                }
            }

            Span<byte> swap = prev;
            prev = cur;
            cur = swap;
        }
    }

    private static void Unfilter(byte filter, Span<byte> row, ReadOnlySpan<byte> prior, int bpp)
    {
        switch (filter)
        {
            case 0:
                break;
            case 1:
                for (int i = bpp; i < row.Length; i++)
                {
                    row[i] += row[i - bpp];
                }

                break;
            case 2:
                for (int i = 0; i < row.Length; i++)
                {
                    row[i] += prior[i];
                }

                break;
            case 3:
                for (int i = 0; i < row.Length; i++)
                {
                    int left = i >= bpp ? row[i - bpp] : 0;
                    row[i] += (byte)((left + prior[i]) >> 1);
                }

                break;
            case 4:
                for (int i = 0; i < row.Length; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0;
                    int b = prior[i];
                    int c = i >= bpp ? prior[i - bpp] : 0;
                    int p = a + b - c;
                    int pa = Math.Abs(p - a);
                    int pb = Math.Abs(p - b);
                    int pc = Math.Abs(p - c);
                    row[i] += (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                }

                break;
            default:
                throw Corrupt();
        }
    }

    private static void Expand(ReadOnlySpan<byte> raw, int width, Header header, byte[]? palette, byte[]? paletteAlpha, Span<byte> target)
    {
        int depth = header.BitDepth;
        if (header.ColorType == 3)
        {
            int entries = palette!.Length / 3;
            int channels = paletteAlpha is null ? 3 : 4;
            for (int x = 0; x < width; x++)
            {
                int index = depth == 8 ? raw[x] : SubByte(raw, x, depth);
                Span<byte> px = target.Slice(x * channels, channels);
                if (index < entries)
                {
                    palette.AsSpan(index * 3, 3).CopyTo(px);
                }
                else
                {
                    // Pillow's palette starts as a gray ramp, so slots the file does not fill read as (i, i, i).
                    px[..3].Fill((byte)index);
                }

                if (paletteAlpha is not null)
                {
                    px[3] = index < paletteAlpha.Length ? paletteAlpha[index] : (byte)255;
                }
            }

            return;
        }

        int samples = width * header.Samples;
        if (depth == 8)
        {
            raw[..samples].CopyTo(target);
        }
        else if (depth == 16)
        {
            for (int i = 0; i < samples; i++)
            {
                // round(v / 257): never a tie, since v / 257 = k + 1/2 has no integer solution.
                int v = (raw[2 * i] << 8) | raw[(2 * i) + 1];
                target[i] = (byte)((v + 128) / 257);
            }
        }
        else
        {
            // Gray at 1, 2 or 4 bits: scale so the maximum code maps to 255 (×255, ×85, ×17).
            int factor = 255 / ((1 << depth) - 1);
            for (int x = 0; x < width; x++)
            {
                target[x] = (byte)(SubByte(raw, x, depth) * factor);
            }
        }
    }

    private static int SubByte(ReadOnlySpan<byte> raw, int index, int depth)
    {
        int bit = index * depth;
        int shift = 8 - depth - (bit & 7);
        return (raw[bit >> 3] >> shift) & ((1 << depth) - 1);
    }

    private static ImageDecodeException Corrupt() => new(CorruptMessage);

    private sealed record Header(int Width, int Height, int BitDepth, int ColorType, bool Interlaced)
    {
        public int Samples => ColorType switch
        {
            0 => 1,
            2 => 3,
            3 => 1,
            4 => 2,
            _ => 4,
        };

        public static Header Parse(ReadOnlySpan<byte> data)
        {
            if (data.Length != 13)
            {
                throw Corrupt();
            }

            uint width = BinaryPrimitives.ReadUInt32BigEndian(data);
            uint height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
            int depth = data[8];
            int colorType = data[9];
            bool validDepth = colorType switch
            {
                0 => depth is 1 or 2 or 4 or 8 or 16,
                3 => depth is 1 or 2 or 4 or 8,
                2 or 4 or 6 => depth is 8 or 16,
                _ => false,
            };
            if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue || !validDepth
                || data[10] != 0 || data[11] != 0 || data[12] > 1)
            {
                throw Corrupt();
            }

            return new Header((int)width, (int)height, depth, colorType, data[12] == 1);
        }
    }
}
