using MedServe.Inference.Tokenization;

namespace MedServe.Inference.Tests.Tokenization;

/// <summary>The hand-written scanner that replaces CLIP's pre-tokenisation regex.</summary>
public sealed class ClipPreTokenizerTests
{
    [Theory]
    [InlineData("can't", new[] { "can", "'t" })]
    [InlineData("they're we've i'm you'll he'd", new[] { "they", "'re", "we", "'ve", "i", "'m", "you", "'ll", "he", "'d" })]
    [InlineData("?'d''d", new[] { "?'", "d", "''", "d" })]
    [InlineData("t2 1024mm", new[] { "t", "2", "1", "0", "2", "4", "mm" })]
    [InlineData("x-ray, (ct)!", new[] { "x", "-", "ray", ",", "(", "ct", ")!" })]
    [InlineData("<|startoftext|>a<|endoftext|>", new[] { "<|startoftext|>", "a", "<|endoftext|>" })]
    [InlineData("生活½𝐀𝐁x", new[] { "生活", "½", "𝐀𝐁x" })]  // ½ is No; math letters outside the BMP are letters
    [InlineData("😀😀a", new[] { "😀😀", "a" })]
    [InlineData("   ", new string[0])]
    public void TryNext_Text_SplitsLikeClipRegex(string text, string[] expected)
    {
        var tokens = new List<string>();
        int position = 0;
        while (ClipPreTokenizer.TryNext(text, ref position, out int start, out int length))
        {
            tokens.Add(text.Substring(start, length));
        }

        Assert.Equal(expected, tokens);
    }
}
