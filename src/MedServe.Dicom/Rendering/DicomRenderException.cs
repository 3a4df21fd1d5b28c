namespace MedServe.Dicom.Rendering;

/// <summary>
/// The frame cannot be rendered (unsupported photometric interpretation, missing palette, inconsistent
/// sample count). <see cref="Exception.Message"/> is short and safe to return to a client: it never
/// contains pixel data or patient identifiers.
/// </summary>
public sealed class DicomRenderException : Exception
{
    /// <summary>Creates an exception with no message.</summary>
    public DicomRenderException()
    {
    }

    /// <summary>Creates an exception with a client-safe message.</summary>
    /// <param name="message">A short description of why the frame cannot be rendered.</param>
    public DicomRenderException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a client-safe message and the underlying cause.</summary>
    /// <param name="message">A short description of why the frame cannot be rendered.</param>
    /// <param name="innerException">The cause, for logs; not for clients.</param>
    public DicomRenderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
