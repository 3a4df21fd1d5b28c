using MedServe.Inference.Tokenization;

namespace MedServe.Inference.Tests.Tokenization;

/// <summary>
/// A five-merge vocabulary written by hand, so expected ids can be derived on paper:
/// byte b in 33..126 has id b − 33 (its <c>&lt;/w&gt;</c> form +256), merges take 512.., then BOS 517, EOS 518.
/// </summary>
internal static class TinyVocabulary
{
    public const int Lo = 512;          // l o
    public const int LowEnd = 513;      // lo w</w>
    public const int ErEnd = 514;       // e r</w>
    public const int Low = 515;         // lo w
    public const int LowerEnd = 516;    // low er</w>
    public const int Bos = 517;
    public const int Eos = 518;

    public const string MergesText = "#version: 0.2\nl o\nlo w</w>\ne r</w>\nlo w\nlow er</w>";

    public static int Byte(char c) => c - 33;

    public static int ByteEnd(char c) => c - 33 + 256;

    public static ClipTokenizer Load()
    {
        string path = Path.Combine(Path.GetTempPath(), $"tiny-merges-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, MergesText);
        try
        {
            return ClipTokenizer.FromOpenAiMerges(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
