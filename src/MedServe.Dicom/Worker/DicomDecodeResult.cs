using System.Diagnostics.CodeAnalysis;

namespace MedServe.Dicom.Worker;

/// <summary>A decoded frame, or a message safe to return to the client that sent the file.</summary>
public sealed record DicomDecodeResult
{
    /// <summary>The decoded frame, when decoding succeeded.</summary>
    public DicomFrame? Frame { get; init; }

    /// <summary>Why the file was refused, when it was.</summary>
    public string? Error { get; init; }

    /// <summary>True when <see cref="Frame"/> holds the frame.</summary>
    [MemberNotNullWhen(true, nameof(Frame))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Frame is not null;

    /// <summary>A successful result.</summary>
    /// <param name="frame">The decoded frame.</param>
    public static DicomDecodeResult Success(DicomFrame frame) => new() { Frame = frame };

    /// <summary>A refusal.</summary>
    /// <param name="error">A message naming what is wrong with the file (no tag values).</param>
    public static DicomDecodeResult Failure(string error) => new() { Error = error };
}
