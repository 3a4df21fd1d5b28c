using MedServe.Inference.Packages;
using MedServe.Inference.Tokenization;

namespace MedServe.Models;

/// <summary>Loads the tokenizer a package's manifest describes.</summary>
public static class TokenizerLoader
{
    /// <summary>The CLIP byte-level BPE tokenizer kind.</summary>
    public const string ClipBpe = "clip_bpe";

    /// <summary>Loads the package's tokenizer; throws <see cref="ModelPackageException"/> for an unknown kind.</summary>
    public static ClipTokenizer Load(ModelPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        var settings = package.Manifest.Tokenizer
            ?? throw new ModelPackageException(package.Directory, ["medserve.json: tokenizer is missing"]);
        if (settings.Kind != ClipBpe)
        {
            throw new ModelPackageException(package.Directory, [$"medserve.json: tokenizer.kind '{settings.Kind}' is not supported (expected '{ClipBpe}')"]);
        }

        return settings.Vocab is null
            ? ClipTokenizer.FromOpenAiMerges(package.PathOf(settings.Merges))
            : ClipTokenizer.FromHuggingFace(package.PathOf(settings.Vocab), package.PathOf(settings.Merges));
    }
}
