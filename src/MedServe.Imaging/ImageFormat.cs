namespace MedServe.Imaging;

/// <summary>The encoded formats <see cref="ImageDecoder"/> recognises from their magic bytes.</summary>
public enum ImageFormat
{
    /// <summary>Portable Network Graphics.</summary>
    Png,

    /// <summary>JPEG (JFIF/EXIF), baseline or progressive.</summary>
    Jpeg,

    /// <summary>DICOM, decoded and rendered to 8 bits by MedServe.Dicom (not by <see cref="ImageDecoder"/>).</summary>
    Dicom,
}
