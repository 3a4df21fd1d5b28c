using MedServe.Dicom.Rendering;
using MedServe.Dicom.Worker;
using MedServe.Imaging;

namespace MedServe.Models.Inputs;

/// <summary>
/// Turns the bytes of an image cell into an 8-bit image, whatever the format:
/// <code>
/// bytes ─► sniff ─► PNG/JPEG ─► ImageDecoder
///                └► DICOM    ─► DicomDecoder (worker process) ─► DicomRenderer (modality, VOI/preset, MONOCHROME1)
/// </code>
/// Failures are client-safe messages, never exceptions.
/// </summary>
public sealed class ImageInputDecoder
{
    /// <summary>The most samples (rows × columns × frames × samples per pixel) a DICOM file may declare.</summary>
    public const long MaxDicomSamples = 268_435_456;

    private readonly ImageDecodeOptions _imageOptions;
    private readonly DicomDecoder? _dicom;

    /// <summary>Creates the decoder; without a <paramref name="dicom"/> decoder, DICOM cells are refused.</summary>
    public ImageInputDecoder(ImageDecodeOptions imageOptions, DicomDecoder? dicom)
    {
        ArgumentNullException.ThrowIfNull(imageOptions);
        _imageOptions = imageOptions;
        _dicom = dicom;
    }

    /// <summary>Decodes one cell's bytes; returns the image or a message saying why not.</summary>
    public async Task<(DecodedImage? Image, string? Error)> DecodeAsync(ReadOnlyMemory<byte> bytes, ImageInputOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!DicomSniffer.IsDicom(bytes.Span))
        {
            try
            {
                return (ImageDecoder.Decode(bytes.Span, _imageOptions), null);
            }
            catch (ImageDecodeException ex)
            {
                return (null, ex.Message == "not a PNG or JPEG image" ? "not a PNG, JPEG or DICOM image" : ex.Message);
            }
        }

        if (_dicom is null)
        {
            return (null, "DICOM input is not enabled on this server");
        }

        // The worker answers with one int per sample; keep that array well inside .NET's limits.
        var limits = new DicomDecodeLimits { MaxPixels = Math.Min(_imageOptions.MaxPixels, MaxDicomSamples) };
        var result = await _dicom.DecodeAsync(bytes, options.DicomFrame, limits, cancellationToken).ConfigureAwait(false);
        if (result.Frame is not { } frame)
        {
            return (null, result.Error ?? "the DICOM file could not be decoded");
        }

        try
        {
            var pixels = DicomRenderer.Render(frame, options.Normalization);
            return (new DecodedImage(pixels, ImageFormat.Dicom, IsPalette: false, SourceBitDepth: frame.Image.BitsStored), null);
        }
        catch (DicomRenderException ex)
        {
            return (null, ex.Message);
        }
    }
}
