#if MEDSERVE_GDCM
using System.Globalization;
using System.Text;
using MedServe.Dicom.Gdcm;

namespace MedServe.Dicom.Tests.Gdcm;

/// <summary>
/// Writes small DICOM files with GDCM's own writer, so tests cover MONOCHROME1, rescale, windows,
/// multi-frame and RLE without ../shared. Test projects can link this file and
/// <see cref="TestDicomSpec"/> (they need the Gdcm.props import for gdcm-sharp).
/// </summary>
internal static class TestDicomWriter
{
    // GDCM's images and filters are reference counted in C++; a .NET finalizer deleting one that a
    // writer still refers to aborts the process. Test-only: keep them alive for the run.
    private static readonly List<object> KeepAlive = [];

    /// <summary>Writes <paramref name="spec"/> as a Part 10 file and returns its bytes.</summary>
    public static byte[] Write(TestDicomSpec spec)
    {
        string? unavailable = GdcmRuntime.EnsureInitialized();
        if (unavailable is not null)
        {
            throw new InvalidOperationException(unavailable);
        }

        var image = new gdcm.Image();
        image.SetNumberOfDimensions(spec.Frames > 1 ? 3u : 2u);
        image.SetDimension(0, (uint)spec.Columns);
        image.SetDimension(1, (uint)spec.Rows);
        if (spec.Frames > 1)
        {
            image.SetDimension(2, (uint)spec.Frames);
        }

        var format = new gdcm.PixelFormat();
        format.SetSamplesPerPixel((ushort)spec.SamplesPerPixel);
        format.SetBitsAllocated((ushort)spec.BitsAllocated);
        format.SetBitsStored((ushort)spec.BitsStored);
        format.SetHighBit((ushort)(spec.BitsStored - 1));
        format.SetPixelRepresentation(spec.Signed ? (ushort)1 : (ushort)0);
        image.SetPixelFormat(format);
        image.SetPhotometricInterpretation(new gdcm.PhotometricInterpretation(spec.Photometric switch
        {
            "MONOCHROME1" => gdcm.PhotometricInterpretation.PIType.MONOCHROME1,
            "RGB" => gdcm.PhotometricInterpretation.PIType.RGB,
            _ => gdcm.PhotometricInterpretation.PIType.MONOCHROME2,
        }));
        image.SetTransferSyntax(new gdcm.TransferSyntax(gdcm.TransferSyntax.TSType.ExplicitVRLittleEndian));

        byte[] pixels = Pack(spec);
        var pixelData = new gdcm.DataElement(new gdcm.Tag(0x7FE0, 0x0010));
        pixelData.SetByteValue(pixels, new gdcm.VL((uint)pixels.Length));
        image.SetDataElement(pixelData);

        if (spec.RescaleSlope is not null || spec.RescaleIntercept is not null)
        {
            // GDCM writes Rescale Slope/Intercept from the image's own values.
            image.SetSlope(spec.RescaleSlope ?? 1);
            image.SetIntercept(spec.RescaleIntercept ?? 0);
        }

        gdcm.Image output = image;
        var change = new gdcm.ImageChangeTransferSyntax();
        if (spec.Rle)
        {
            change.SetTransferSyntax(new gdcm.TransferSyntax(gdcm.TransferSyntax.TSType.RLELossless));
            change.SetInput(image);
            if (!change.Change())
            {
                throw new InvalidOperationException("GDCM could not compress the test image with RLE");
            }

            output = change.GetOutput();
        }

        string path = Path.Combine(Path.GetTempPath(), $"medserve-test-{Guid.NewGuid():N}.dcm");
        try
        {
            var writer = new gdcm.ImageWriter();
            writer.SetFileName(path);
            writer.SetImage(output);
            gdcm.DataSet dataSet = writer.GetFile().GetDataSet();
            Insert(dataSet, 0x0008, 0x0060, gdcm.VR.VRType.CS, spec.Modality);
            if (spec.RescaleSlope is { } slope)
            {
                Insert(dataSet, 0x0028, 0x1053, gdcm.VR.VRType.DS, Decimal(slope));
            }

            if (spec.RescaleIntercept is { } intercept)
            {
                Insert(dataSet, 0x0028, 0x1052, gdcm.VR.VRType.DS, Decimal(intercept));
            }

            if (spec.Windows.Count > 0)
            {
                Insert(dataSet, 0x0028, 0x1050, gdcm.VR.VRType.DS, string.Join('\\', spec.Windows.Select(w => Decimal(w.Center))));
                Insert(dataSet, 0x0028, 0x1051, gdcm.VR.VRType.DS, string.Join('\\', spec.Windows.Select(w => Decimal(w.Width))));
            }

            lock (KeepAlive)
            {
                KeepAlive.AddRange([image, format, pixelData, change, writer, output]);
            }

            if (!writer.Write())
            {
                throw new InvalidOperationException("GDCM could not write the test image");
            }

            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Decimal(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static void Insert(gdcm.DataSet dataSet, ushort group, ushort element, gdcm.VR.VRType vr, string text)
    {
        if (text.Length % 2 == 1)
        {
            text += " ";
        }

        byte[] bytes = Encoding.ASCII.GetBytes(text);
        var dataElement = new gdcm.DataElement(new gdcm.Tag(group, element), new gdcm.VL((uint)bytes.Length), new gdcm.VR(vr));
        dataElement.SetByteValue(bytes, new gdcm.VL((uint)bytes.Length));
        dataSet.Replace(dataElement);
    }

    private static byte[] Pack(TestDicomSpec spec)
    {
        int bytesPerSample = spec.BitsAllocated / 8;
        int expected = spec.Rows * spec.Columns * spec.Frames * spec.SamplesPerPixel;
        if (spec.Samples.Length != expected)
        {
            throw new ArgumentException($"expected {expected} samples, got {spec.Samples.Length}", nameof(spec));
        }

        var bytes = new byte[expected * bytesPerSample];
        for (int i = 0; i < expected; i++)
        {
            uint value = unchecked((uint)spec.Samples[i]) & (spec.BitsStored >= 32 ? uint.MaxValue : (1u << spec.BitsStored) - 1);
            for (int b = 0; b < bytesPerSample; b++)
            {
                bytes[(i * bytesPerSample) + b] = (byte)(value >> (8 * b));
            }
        }

        return bytes;
    }
}
#endif
