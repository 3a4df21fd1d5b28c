namespace MedServe.Imaging;

/// <summary>
/// The bytes could not be decoded. <see cref="Exception.Message"/> is short and safe to return to a client:
/// it never contains pixel data or bytes of the input.
/// </summary>
public sealed class ImageDecodeException : Exception
{
    /// <summary>Creates an exception with no message.</summary>
    public ImageDecodeException()
    {
    }

    /// <summary>Creates an exception with a client-safe message.</summary>
    /// <param name="message">A short description of what is wrong with the image.</param>
    public ImageDecodeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a client-safe message and the underlying cause.</summary>
    /// <param name="message">A short description of what is wrong with the image.</param>
    /// <param name="innerException">The cause, for logs; not for clients.</param>
    public ImageDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
