#if MEDSERVE_GDCM
using MedServe.Dicom.Tests.Gdcm;
#endif
using MedServe.Dicom.Gdcm;

namespace MedServe.Benchmarks;

/// <summary>
/// A deterministic synthetic computed radiograph: 2048² (or any size), 16 bits allocated, 12 stored,
/// MONOCHROME1, with Rescale Slope/Intercept and one window, written natively or as JPEG 2000 lossless.
/// </summary>
internal static class BenchDicom
{
    /// <summary>Explicit VR Little Endian.</summary>
    public const string Native = "1.2.840.10008.1.2.1";

    /// <summary>JPEG 2000 Image Compression (Lossless Only).</summary>
    public const string Jpeg2000Lossless = "1.2.840.10008.1.2.4.90";

    public const double RescaleSlope = 0.8;

    public const double RescaleIntercept = 100;

    public const double WindowCenter = 1700;

    public const double WindowWidth = 2600;

#if MEDSERVE_GDCM
    // GDCM objects are reference counted in C++; a finalizer freeing one a writer still uses aborts the
    // process, so everything the transcoder creates lives as long as the benchmark process.
    private static readonly List<object> KeepAlive = [];
#endif

    /// <summary>The stored values: smooth anatomy-like shapes plus noise, seeded, 0…4095.</summary>
    public static int[] Samples(int side)
    {
        var random = new Random(20261122);
        var samples = new int[side * side];
        double scale = 1.0 / side;
        for (int y = 0; y < side; y++)
        {
            double v = y * scale;
            for (int x = 0; x < side; x++)
            {
                double u = x * scale;

                // MONOCHROME1: high stored values display dark. Air around the body is dark (high),
                // the two lung fields are darker than the mediastinum, ribs add a gentle periodic band.
                double body = Blob(u, v, 0.5, 0.55, 0.42, 0.5);
                double lungs = Blob(u, v, 0.32, 0.45, 0.12, 0.25) + Blob(u, v, 0.68, 0.45, 0.12, 0.25);
                double heart = Blob(u, v, 0.55, 0.62, 0.12, 0.12);
                double ribs = 0.08 * Math.Sin(v * 60) * lungs;
                double attenuation = (0.75 * body) - (0.45 * lungs) + (0.3 * heart) + ribs;
                double stored = 3600 - (2600 * attenuation) + (random.NextDouble() * 80) - 40;
                samples[(y * side) + x] = (int)Math.Clamp(Math.Round(stored), 0, 4095);
            }
        }

        return samples;
    }

    /// <summary>The CR as a Part 10 file in <paramref name="transferSyntax"/>.</summary>
    /// <exception cref="InvalidOperationException">GDCM is not available in this build or on this machine.</exception>
    public static byte[] Write(int side, string transferSyntax)
    {
#if MEDSERVE_GDCM
        byte[] native = TestDicomWriter.Write(new TestDicomSpec
        {
            Rows = side,
            Columns = side,
            BitsAllocated = 16,
            BitsStored = 12,
            Photometric = "MONOCHROME1",
            Modality = "CR",
            Samples = Samples(side),
            RescaleSlope = RescaleSlope,
            RescaleIntercept = RescaleIntercept,
            Windows = [(WindowCenter, WindowWidth)],
        });
        return transferSyntax switch
        {
            Native => native,
            Jpeg2000Lossless => ToJpeg2000Lossless(native),
            _ => throw new ArgumentException($"unknown transfer syntax {transferSyntax}", nameof(transferSyntax)),
        };
#else
        _ = side;
        _ = transferSyntax;
        throw new InvalidOperationException(GdcmRuntime.MissingMessage);
#endif
    }

#if MEDSERVE_GDCM
    // Reads the native file back, re-encodes its pixel data and writes it with the rest of the data
    // set (rescale, window, modality) unchanged.
    private static byte[] ToJpeg2000Lossless(byte[] native)
    {
        string? unavailable = GdcmRuntime.EnsureInitialized();
        if (unavailable is not null)
        {
            throw new InvalidOperationException(unavailable);
        }

        string input = Path.Combine(Path.GetTempPath(), $"medserve-bench-{Guid.NewGuid():N}.dcm");
        string output = Path.ChangeExtension(input, ".j2k.dcm");
        try
        {
            File.WriteAllBytes(input, native);
            var reader = new gdcm.ImageReader();
            reader.SetFileName(input);
            var change = new gdcm.ImageChangeTransferSyntax();
            var writer = new gdcm.ImageWriter();
            lock (KeepAlive)
            {
                KeepAlive.AddRange([reader, change, writer]);
            }

            if (!reader.Read())
            {
                throw new InvalidOperationException("GDCM could not read the native benchmark image back");
            }

            change.SetTransferSyntax(new gdcm.TransferSyntax(gdcm.TransferSyntax.TSType.JPEG2000Lossless));
            change.SetInput(reader.GetImage());
            if (!change.Change())
            {
                throw new InvalidOperationException("GDCM could not compress the benchmark image with JPEG 2000");
            }

            gdcm.Image compressed = change.GetOutput();
            lock (KeepAlive)
            {
                KeepAlive.Add(compressed);
            }

            writer.SetFileName(output);
            writer.SetFile(reader.GetFile());
            writer.SetImage(compressed);
            if (!writer.Write())
            {
                throw new InvalidOperationException("GDCM could not write the JPEG 2000 benchmark image");
            }

            return File.ReadAllBytes(output);
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }
#endif

    // A soft-edged ellipse: 1 inside, falling smoothly to 0 over about a tenth of its radius.
    private static double Blob(double u, double v, double cu, double cv, double ru, double rv)
    {
        double du = (u - cu) / ru;
        double dv = (v - cv) / rv;
        double r = Math.Sqrt((du * du) + (dv * dv));
        return 1 / (1 + Math.Exp((r - 1) * 12));
    }
}
