using MedServe.Models.CxrReportGen;
using MedServe.Models.Demo;

namespace MedServe.Models.Tests.CxrReportGen;

public sealed class FindingsParserTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-cxr-parse-" + Guid.NewGuid().ToString("N"));
    private readonly CxrReportGenModel _model;
    private readonly FindingsParser _parser;

    public FindingsParserTests()
    {
        _model = (CxrReportGenModel)ModelLoader.Load(CxrReportGenDemoPackage.Write(_dir));
        var problems = new List<string>();
        var vocabulary = GroundingVocabulary.Resolve(new MedServe.Inference.Packages.GroundingSettings(), _model.Tokenizer, problems)!;
        Assert.Empty(problems);
        _parser = new FindingsParser(vocabulary, ids => _model.Tokenizer.Decode(ids, withSpecialTokens: false));
    }

    public void Dispose()
    {
        _model.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private IReadOnlyList<Finding>? Parse(string output, out string reason) =>
        _parser.Parse([.. _model.Tokenizer.Encode(output).Skip(1)], out reason);

    [Fact]
    public void Parse_GroundedAndUngrounded_GivesSentencesBoxesAndNulls()
    {
        var findings = Parse("<obj>The heart is normal.</obj> <obj>Opacity.<box><x0><y99><x55><y45></box><box><x1><y2><x3><y4></box></obj>", out _)!;
        Assert.Equal(2, findings.Count);
        Assert.Equal(new Finding("The heart is normal.", null), findings[0]);
        Assert.Equal("Opacity.", findings[1].Sentence);
        Assert.Equal([new FindingBox(0.005, 0.995, 0.555, 0.455), new FindingBox(0.015, 0.025, 0.035, 0.045)], findings[1].Boxes!);
    }

    [Fact]
    public void Parse_PlainText_SplitsSentences()
    {
        var findings = Parse("The lungs are clear. No effusion! Stable?  Yes", out _)!;
        Assert.Equal(["The lungs are clear.", "No effusion!", "Stable?", "Yes"], findings.Select(f => f.Sentence));
        Assert.All(findings, f => Assert.Null(f.Boxes));
    }

    [Theory]
    [InlineData("<obj>A.<box><x1><y2><x3></box></obj>", "a <box> must hold <xN><yN><xN><yN> and close with </box> at generated token")]
    [InlineData("<obj>A.<box><y1><x2><y3><x4></box></obj>", "a <box> must hold")]
    [InlineData("stray <obj>A.</obj>", "text outside <obj>…</obj> at generated token 0")]
    [InlineData("<obj>A.</obj> trailing", "text outside <obj>…</obj>")]
    [InlineData("<obj>A.<box><x1><y2><x3><y4></box> more</obj>", "expected </obj> after the phrase and its boxes")]
    [InlineData("<obj>A.<obj>B.</obj>", "expected </obj> after the phrase and its boxes")]
    [InlineData("</obj>", "a grounding token outside <obj>…</obj> at generated token 0")]
    [InlineData("<obj>Unfinished", "the output ended inside <obj>…</obj>")]
    public void Parse_BrokenGrammar_ReturnsNullWithAReasonThatQuotesNoText(string output, string expected)
    {
        Assert.Null(Parse(output, out string reason));
        Assert.Contains(expected, reason, StringComparison.Ordinal);
        Assert.StartsWith("the generated findings do not follow the grounding grammar: ", reason, StringComparison.Ordinal);
    }
}
