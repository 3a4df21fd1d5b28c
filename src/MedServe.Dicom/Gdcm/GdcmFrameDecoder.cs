#if MEDSERVE_GDCM
using System.Buffers.Binary;
using MedServe.Dicom.Worker;

namespace MedServe.Dicom.Gdcm;

/// <summary>Decodes the pixel data of a file whose header has passed the checks, and extracts one frame.</summary>
internal static class GdcmFrameDecoder
{
    /// <summary>Refuses a frame index out of range or a declared size over the limit, before any decoding.</summary>
    public static string? Check(DicomImage image, int frame, DicomDecodeLimits limits)
    {
        long declared = (long)image.Rows * image.Columns * image.NumberOfFrames * image.SamplesPerPixel;
        if (declared > limits.MaxPixels)
        {
            string samples = image.SamplesPerPixel == 1 ? "" : $" × {image.SamplesPerPixel} samples";
            return $"declared size {image.Rows} × {image.Columns} × {image.NumberOfFrames} frames{samples} exceeds the limit of {limits.MaxPixels} pixels";
        }

        if (frame < 0 || frame >= image.NumberOfFrames)
        {
            return image.NumberOfFrames == 1
                ? $"dicom_frame {frame} is out of range: the file has 1 frame (index 0)"
                : $"dicom_frame {frame} is out of range: the file has {image.NumberOfFrames} frames (0 to {image.NumberOfFrames - 1})";
        }

        return null;
    }

    public static DicomDecodeResult Decode(string path, DicomImage image, int frame)
    {
        if (PixelDataExtent.IsTruncated(File.ReadAllBytes(path)))
        {
            return DicomDecodeResult.Failure("the DICOM pixel data is truncated (the file ends before its declared length)");
        }

        using var reader = new gdcm.ImageReader();
        reader.SetFileName(path);
        if (!reader.Read())
        {
            return DicomDecodeResult.Failure("GDCM could not read the pixel data of this DICOM file");
        }

        gdcm.Image decoded = reader.GetImage();
        if (!reader.GetFile().GetDataSet().FindDataElement(new gdcm.Tag(0x7FE0, 0x0010)))
        {
            return DicomDecodeResult.Failure("the DICOM file has no pixel data (e.g. a structured report)");
        }

        gdcm.PixelFormat format = decoded.GetPixelFormat();
        int bytesPerSample = format.GetBitsAllocated() / 8;
        int samples = format.GetSamplesPerPixel();
        if (decoded.GetRows() != image.Rows || decoded.GetColumns() != image.Columns || samples != image.SamplesPerPixel
            || bytesPerSample is not (1 or 2 or 4))
        {
            return DicomDecodeResult.Failure("the decoded pixel data does not match the declared geometry");
        }

        long frameSamples = (long)image.Rows * image.Columns * samples;
        long frameBytes = frameSamples * bytesPerSample;
        uint length = decoded.GetBufferLength();
        if (length < frameBytes * image.NumberOfFrames || length > frameBytes * image.NumberOfFrames + 1)
        {
            return DicomDecodeResult.Failure("the decoded pixel data is shorter or longer than the declared size");
        }

        // GDCM decodes every frame at once; the size check above bounds this allocation.
        var buffer = new byte[length];
        if (!decoded.GetBuffer(buffer))
        {
            return DicomDecodeResult.Failure("GDCM could not decode the pixel data of this DICOM file");
        }

        ReadOnlySpan<byte> frameData = buffer.AsSpan(checked((int)(frameBytes * frame)), checked((int)frameBytes));
        int[] values = ToStoredValues(frameData, bytesPerSample, image.BitsStored, image.IsSigned);
        if (samples == 3 && decoded.GetPlanarConfiguration() == 1)
        {
            values = Interleave(values, image.Rows * image.Columns);
        }

        return DicomDecodeResult.Success(new DicomFrame(image, frame, values, SamplesPhotometric(image)));
    }

    /// <summary>
    /// What GDCM delivered: it upsamples YBR_FULL_422 (native and JPEG) to full-resolution YBR_FULL
    /// without converting colour, and OpenJPEG undoes the J2K multi-component transform (YBR_RCT,
    /// YBR_ICT) so those frames arrive as RGB.
    /// </summary>
    private static string SamplesPhotometric(DicomImage image) => image.PhotometricInterpretation switch
    {
        "YBR_FULL_422" => "YBR_FULL",
        "YBR_RCT" or "YBR_ICT" when DicomTransferSyntaxes.IsJpeg2000(image.TransferSyntaxUid) => "RGB",
        var photometric => photometric,
    };

    private static int[] ToStoredValues(ReadOnlySpan<byte> data, int bytesPerSample, int bitsStored, bool signed)
    {
        int count = data.Length / bytesPerSample;
        var values = new int[count];
        long mask = bitsStored >= 32 ? uint.MaxValue : (1L << bitsStored) - 1;
        long signBit = 1L << (bitsStored - 1);
        for (int i = 0; i < count; i++)
        {
            long raw = bytesPerSample switch
            {
                1 => data[i],
                2 => BinaryPrimitives.ReadUInt16LittleEndian(data[(i * 2)..]),
                _ => BinaryPrimitives.ReadUInt32LittleEndian(data[(i * 4)..]),
            };
            long value = raw & mask;
            if (signed && (value & signBit) != 0)
            {
                value -= mask + 1;
            }

            // Unsigned 32-bit values above int.MaxValue wrap; no modality uses that range for images.
            values[i] = unchecked((int)value);
        }

        return values;
    }

    private static int[] Interleave(int[] planar, int pixels)
    {
        var interleaved = new int[planar.Length];
        for (int p = 0; p < pixels; p++)
        {
            interleaved[p * 3] = planar[p];
            interleaved[(p * 3) + 1] = planar[pixels + p];
            interleaved[(p * 3) + 2] = planar[(2 * pixels) + p];
        }

        return interleaved;
    }
}
#endif
