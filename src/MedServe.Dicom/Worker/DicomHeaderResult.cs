using System.Diagnostics.CodeAnalysis;

namespace MedServe.Dicom.Worker;

/// <summary>A header read, or a message safe to return to the client that sent the file.</summary>
public sealed record DicomHeaderResult
{
    /// <summary>The header, when it could be read.</summary>
    public DicomHeader? Header { get; init; }

    /// <summary>Why the file was refused, when it was.</summary>
    public string? Error { get; init; }

    /// <summary>True when <see cref="Header"/> holds the header.</summary>
    [MemberNotNullWhen(true, nameof(Header))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Header is not null;

    /// <summary>A successful result.</summary>
    /// <param name="header">The header.</param>
    public static DicomHeaderResult Success(DicomHeader header) => new() { Header = header };

    /// <summary>A refusal.</summary>
    /// <param name="error">A message naming what is wrong with the file (no tag values).</param>
    public static DicomHeaderResult Failure(string error) => new() { Error = error };
}
