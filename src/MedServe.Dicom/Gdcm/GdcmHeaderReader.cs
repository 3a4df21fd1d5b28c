#if MEDSERVE_GDCM
namespace MedServe.Dicom.Gdcm;

/// <summary>Reads <see cref="DicomImage"/> from the attributes before Pixel Data (no pixel data is loaded).</summary>
internal static class GdcmHeaderReader
{
    private const string NoPixelData = "the DICOM file has no pixel data (e.g. a structured report)";

    public static HeaderOutcome Read(string path)
    {
        string? metaSyntax = ReadMetaTransferSyntax(path);
        if (metaSyntax is not null && DicomTransferSyntaxes.IsHighThroughputJpeg2000(metaSyntax))
        {
            return HeaderOutcome.Failure(DicomTransferSyntaxes.UnsupportedMessage(metaSyntax));
        }

        using var reader = new gdcm.Reader();
        reader.SetFileName(path);
        if (!reader.ReadUpToTag(new gdcm.Tag(0x7FE0, 0x0010)))
        {
            return HeaderOutcome.Failure("the file could not be read as DICOM");
        }

        gdcm.File file = reader.GetFile();
        var dataSet = new GdcmDataSetView(file.GetDataSet());
        var meta = new GdcmDataSetView(file.GetHeader());

        int? rows = dataSet.UInt16(0x0028, 0x0010);
        int? columns = dataSet.UInt16(0x0028, 0x0011);
        int? bitsAllocated = dataSet.UInt16(0x0028, 0x0100);
        if (rows is null || columns is null || bitsAllocated is null)
        {
            // GDCM stops at a malformed element (e.g. a stray sequence item, GH364) and keeps what
            // came before; a Pixel Data tag further on tells that apart from a file without pixels.
            return HeaderOutcome.Failure(ContainsPixelDataTag(path)
                ? GdcmDicomReader.UnparsableHeader
                : NoPixelData);
        }

        if (bitsAllocated == 1)
        {
            return HeaderOutcome.Failure("BitsAllocated 1 (segmentation objects) is not supported");
        }

        if (bitsAllocated is not (8 or 16 or 32))
        {
            return HeaderOutcome.Failure($"BitsAllocated {bitsAllocated} is not supported (8, 16 or 32)");
        }

        int bitsStored = dataSet.UInt16(0x0028, 0x0101) ?? bitsAllocated.Value;
        if (bitsStored < 1 || bitsStored > bitsAllocated)
        {
            return HeaderOutcome.Failure($"BitsStored {bitsStored} does not fit BitsAllocated {bitsAllocated}");
        }

        int samples = dataSet.UInt16(0x0028, 0x0002) ?? 1;
        if (samples is not (1 or 3))
        {
            return HeaderOutcome.Failure($"SamplesPerPixel {samples} is not supported (1 or 3)");
        }

        int frames = dataSet.IntegerString(0x0028, 0x0008) ?? 1;
        if (frames < 1)
        {
            return HeaderOutcome.Failure($"NumberOfFrames {frames} is not valid");
        }

        if (rows == 0 || columns == 0)
        {
            return HeaderOutcome.Failure($"declared size {rows} × {columns} is empty");
        }

        bool signed = dataSet.UInt16(0x0028, 0x0103) == 1;
        string photometric = dataSet.String(0x0028, 0x0004) is { Length: > 0 } pi
            ? pi.ToUpperInvariant()
            : samples == 3 ? "RGB" : "MONOCHROME2";
        string transferSyntax = meta.String(0x0002, 0x0010) is { Length: > 0 } ts ? ts : metaSyntax ?? "1.2.840.10008.1.2";

        string? paletteError = null;
        DicomPalette? palette = photometric == "PALETTE COLOR" ? ReadPalette(dataSet, out paletteError) : null;
        if (paletteError is not null)
        {
            return HeaderOutcome.Failure(paletteError);
        }

        var image = new DicomImage
        {
            Rows = rows.Value,
            Columns = columns.Value,
            NumberOfFrames = frames,
            SamplesPerPixel = samples,
            BitsAllocated = bitsAllocated.Value,
            BitsStored = bitsStored,
            IsSigned = signed,
            PhotometricInterpretation = photometric,
            TransferSyntaxUid = transferSyntax,
            Modality = dataSet.String(0x0008, 0x0060) is { Length: > 0 } modality ? modality : null,
            SopClassUid = dataSet.String(0x0008, 0x0016) is { Length: > 0 } sop ? sop
                : meta.String(0x0002, 0x0002) is { Length: > 0 } metaSop ? metaSop : null,
            RescaleSlope = dataSet.Decimals(0x0028, 0x1053) is [var slope, ..] && slope != 0 ? slope : 1,
            RescaleIntercept = dataSet.Decimals(0x0028, 0x1052) is [var intercept, ..] ? intercept : 0,
            ModalityLut = dataSet.FirstItem(0x0028, 0x3000) is { } modalityItem ? ReadLut(modalityItem, 0x3002, 0x3006, signed) : null,
            Windows = ReadWindows(dataSet),
            VoiLut = dataSet.FirstItem(0x0028, 0x3010) is { } voiItem ? ReadLut(voiItem, 0x3002, 0x3006, signed) : null,
            Palette = palette,
        };
        return new HeaderOutcome(image, null);
    }

    private static List<DicomWindow> ReadWindows(GdcmDataSetView dataSet)
    {
        List<double> centers = dataSet.Decimals(0x0028, 0x1050);
        List<double> widths = dataSet.Decimals(0x0028, 0x1051);
        List<string> functions = dataSet.Strings(0x0028, 0x1056);
        var windows = new List<DicomWindow>();
        for (int i = 0; i < Math.Min(centers.Count, widths.Count); i++)
        {
            if (widths[i] <= 0)
            {
                continue;
            }

            string function = functions.Count == 0 ? "LINEAR" : functions[Math.Min(i, functions.Count - 1)];
            windows.Add(new DicomWindow(centers[i], widths[i], function is "LINEAR_EXACT" or "SIGMOID" ? function : "LINEAR"));
        }

        return windows;
    }

    /// <summary>A LUT from its descriptor (entries, first mapped value, bits) and data attributes.</summary>
    private static DicomLut? ReadLut(GdcmDataSetView item, ushort descriptorElement, ushort dataElement, bool signedFirstValue)
    {
        byte[]? descriptor = item.Bytes(0x0028, descriptorElement);
        byte[]? data = item.Bytes(0x0028, dataElement);
        return descriptor is null || data is null ? null : BuildLut(descriptor, data, signedFirstValue);
    }

    private static DicomLut? BuildLut(byte[] descriptor, byte[] data, bool signedFirstValue)
    {
        if (descriptor.Length < 6)
        {
            return null;
        }

        int entries = BitConverter.ToUInt16(descriptor, 0);
        entries = entries == 0 ? 65536 : entries;
        int firstMapped = signedFirstValue ? BitConverter.ToInt16(descriptor, 2) : BitConverter.ToUInt16(descriptor, 2);
        int bits = BitConverter.ToUInt16(descriptor, 4);

        var values = new int[entries];
        if (data.Length >= entries * 2)
        {
            for (int i = 0; i < entries; i++)
            {
                values[i] = BitConverter.ToUInt16(data, i * 2);
            }
        }
        else if (data.Length >= entries)
        {
            // 8-bit entries packed one per byte (OB, or OW written byte-wise).
            for (int i = 0; i < entries; i++)
            {
                values[i] = data[i];
            }
        }
        else
        {
            return null;
        }

        return new DicomLut(firstMapped, bits, values);
    }

    private static DicomPalette? ReadPalette(GdcmDataSetView dataSet, out string? error)
    {
        error = null;
        if (dataSet.Contains(0x0028, 0x1221) || dataSet.Contains(0x0028, 0x1222) || dataSet.Contains(0x0028, 0x1223))
        {
            error = "segmented palette colour LUTs are not supported";
            return null;
        }

        DicomLut? red = PaletteLut(dataSet, 0x1101, 0x1201);
        DicomLut? green = PaletteLut(dataSet, 0x1102, 0x1202);
        DicomLut? blue = PaletteLut(dataSet, 0x1103, 0x1203);
        if (red is null || green is null || blue is null)
        {
            error = "PALETTE COLOR image without a complete red, green and blue palette";
            return null;
        }

        return new DicomPalette(red, green, blue);
    }

    private static DicomLut? PaletteLut(GdcmDataSetView dataSet, ushort descriptorElement, ushort dataElement)
    {
        byte[]? descriptor = dataSet.Bytes(0x0028, descriptorElement);
        byte[]? data = dataSet.Bytes(0x0028, dataElement);
        return descriptor is null || data is null ? null : BuildLut(descriptor, data, signedFirstValue: false);
    }

    private static bool ContainsPixelDataTag(string path)
    {
        try
        {
            return File.ReadAllBytes(path).AsSpan().IndexOf((ReadOnlySpan<byte>)[0xE0, 0x7F, 0x10, 0x00]) >= 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string? ReadMetaTransferSyntax(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
            var start = new byte[(int)Math.Min(stream.Length, 16384)];
            stream.ReadExactly(start);
            return DicomFileMeta.TryGetTransferSyntax(start);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
#endif
