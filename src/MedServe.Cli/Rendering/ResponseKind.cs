namespace MedServe.Cli.Rendering;

/// <summary>The model family a scoring response came from, as far as <c>render</c> can draw it.</summary>
internal enum ResponseKind
{
    /// <summary>No family <c>render</c> draws.</summary>
    Unknown,

    /// <summary>MedImageParse: rows with a string <c>image_features</c> (the masks) and a list <c>text_features</c>.</summary>
    MedImageParse,

    /// <summary>CXRReportGen: rows with a string <c>output</c> (the findings and their boxes as JSON text).</summary>
    CxrReportGen,
}
