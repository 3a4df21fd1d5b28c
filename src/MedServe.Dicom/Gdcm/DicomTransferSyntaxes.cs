namespace MedServe.Dicom.Gdcm;

/// <summary>Names of the transfer syntaxes MedServe meets, and the ones this GDCM cannot decode.</summary>
internal static class DicomTransferSyntaxes
{
    /// <summary>The human-readable name of a transfer syntax UID, or the UID itself when unknown.</summary>
    public static string NameOf(string uid) => uid switch
    {
        "1.2.840.10008.1.2" => "Implicit VR Little Endian",
        "1.2.840.10008.1.2.1" => "Explicit VR Little Endian",
        "1.2.840.10008.1.2.1.99" => "Deflated Explicit VR Little Endian",
        "1.2.840.10008.1.2.2" => "Explicit VR Big Endian",
        "1.2.840.10008.1.2.4.50" => "JPEG Baseline (Process 1)",
        "1.2.840.10008.1.2.4.51" => "JPEG Extended (Process 2 and 4)",
        "1.2.840.10008.1.2.4.57" => "JPEG Lossless (Process 14)",
        "1.2.840.10008.1.2.4.70" => "JPEG Lossless (Process 14, Selection Value 1)",
        "1.2.840.10008.1.2.4.80" => "JPEG-LS Lossless",
        "1.2.840.10008.1.2.4.81" => "JPEG-LS Near-Lossless",
        "1.2.840.10008.1.2.4.90" => "JPEG 2000 (Lossless Only)",
        "1.2.840.10008.1.2.4.91" => "JPEG 2000",
        "1.2.840.10008.1.2.4.201" => "High-Throughput JPEG 2000 (Lossless Only)",
        "1.2.840.10008.1.2.4.202" => "High-Throughput JPEG 2000 with RPCL Options (Lossless Only)",
        "1.2.840.10008.1.2.4.203" => "High-Throughput JPEG 2000",
        "1.2.840.10008.1.2.5" => "RLE Lossless",
        _ => uid,
    };

    /// <summary>True for the High-Throughput JPEG 2000 syntaxes, which GDCM 3.0 does not know.</summary>
    public static bool IsHighThroughputJpeg2000(string uid) =>
        uid is "1.2.840.10008.1.2.4.201" or "1.2.840.10008.1.2.4.202" or "1.2.840.10008.1.2.4.203";

    /// <summary>True for the JPEG 2000 syntaxes (whose codec undoes YBR_RCT/YBR_ICT itself).</summary>
    public static bool IsJpeg2000(string uid) => uid is "1.2.840.10008.1.2.4.90" or "1.2.840.10008.1.2.4.91";

    /// <summary>The refusal for a transfer syntax this build cannot decode.</summary>
    public static string UnsupportedMessage(string uid) =>
        $"transfer syntax {uid} ({NameOf(uid)}, HTJ2K) is not supported by this build's GDCM";
}
