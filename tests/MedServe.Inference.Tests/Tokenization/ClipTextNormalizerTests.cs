using MedServe.Inference.Tokenization;

namespace MedServe.Inference.Tests.Tokenization;

/// <summary>Python-compatible cleaning: html.unescape ×2, whitespace collapse, str.lower.</summary>
public sealed class ClipTextNormalizerTests
{
    [Theory]
    [InlineData("  Hello \t\n  World  ", "hello world")]
    [InlineData("a\u00A0\u3000b\u001Fc", "a b c")]                // str.isspace includes U+001F
    [InlineData("&amp;amp; &lt;b&gt; &#39;x&#x27;", "& <b> 'x'")]  // unescaped twice
    [InlineData("&amp x &copy2024", "& x ©2024")]                   // legacy names without ';'
    [InlineData("&#128; &#0; &#x110000;", "€ \uFFFD \uFFFD")]       // C1 remap and invalid code points
    [InlineData("&unknown; & &#;", "&unknown; & &#;")]
    [InlineData("İ", "i\u0307")]                                    // full lower-case mapping
    [InlineData("ΟΔΟΣ ΣΑ", "οδος σα")]                              // final sigma
    [InlineData("ÜBER", "über")]
    public void Normalize_Text_MatchesPythonReference(string input, string expected)
    {
        Assert.Equal(expected, ClipTextNormalizer.Normalize(input));
    }
}
