namespace MedServe.Models.MedImageParse;

/// <summary>The 16 category names of MedImageParse's class logits, in logit order; index 16 is background.</summary>
public static class MedImageParseCategories
{
    /// <summary>The number of class logits per query: the 16 names and background.</summary>
    public const int LogitCount = 17;

    /// <summary>The names, in logit order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "liver", "lung", "kidney", "pancreas", "heart anatomies", "brain anatomies", "eye anatomies", "vessel",
        "other organ", "tumor", "infection", "other lesion", "fluid disturbance", "other abnormality",
        "histology structure", "other",
    ];
}
