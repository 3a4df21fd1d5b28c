using MedServe.Inference.Packages;
using MedServe.Models.CxrReportGen;

namespace MedServe.Models.Tests.CxrReportGen;

public sealed class CxrPromptBuilderTests
{
    private const string Grounded =
        " Provide a structured description of the findings in the radiology study in comparison to the prior frontal image."
        + " Each finding should be described as a self-contained plain-text sentence. If the finding is groundable, locate the"
        + " finding in the current frontal chest X-ray image, with bounding boxes indicating all locations where it can be seen"
        + " in the current frontal image. Otherwise, generate just the ungrounded finding without bounding boxes.";

    private const string Plain =
        " Provide a structured description of the findings in the radiology study in comparison to the prior frontal image.";

    private static readonly CxrPromptBuilder Builder = new(new GenerationSettings
    {
        ChatTemplate = CxrReportGenDefaults.Phi3ChatTemplate,
        ImageToken = CxrReportGenDefaults.ImageToken,
    });

    [Fact]
    public void BuildUserPrompt_FrontalOnly_UsesTheOnlyWordingAndNaSections()
    {
        Assert.Equal(
            "Given the current frontal image only<image>" + Grounded + " INDICATION: N/A TECHNIQUE: N/A COMPARISON: N/A",
            Builder.BuildUserPrompt(new CxrStudy(false, false), grounded: true));
    }

    [Fact]
    public void BuildUserPrompt_FrontalAndLateral_JoinsWithAnd()
    {
        Assert.Equal(
            "Given the current frontal image<image> and the current lateral image<image>" + Grounded
            + " INDICATION: Cough. TECHNIQUE: N/A COMPARISON: N/A",
            Builder.BuildUserPrompt(new CxrStudy(true, false, Indication: "Cough."), grounded: true));
    }

    [Fact]
    public void BuildUserPrompt_FrontalAndPrior_AddsPriorReportNaWhenNotSent()
    {
        Assert.Equal(
            "Given the current frontal image<image> and the prior frontal image<image> PRIOR_REPORT: N/A" + Grounded
            + " INDICATION: N/A TECHNIQUE: PA and lateral. COMPARISON: N/A",
            Builder.BuildUserPrompt(new CxrStudy(false, true, Technique: "PA and lateral."), grounded: true));
    }

    [Fact]
    public void BuildUserPrompt_AllImagesAndSections_FollowsTheReferenceOrder()
    {
        var study = new CxrStudy(true, true, "Dyspnea.", "PA view.", "Prior from 2020.", "Mild cardiomegaly.");
        Assert.Equal(
            "Given the current frontal image<image> the current lateral image<image> and the prior frontal image<image>"
            + " PRIOR_REPORT: Mild cardiomegaly." + Grounded + " INDICATION: Dyspnea. TECHNIQUE: PA view. COMPARISON: Prior from 2020.",
            Builder.BuildUserPrompt(study, grounded: true));
    }

    [Fact]
    public void BuildUserPrompt_GroundingOff_UsesThePlainInstruction()
    {
        Assert.Equal(
            "Given the current frontal image only<image>" + Plain + " INDICATION: N/A TECHNIQUE: N/A COMPARISON: Prior.",
            Builder.BuildUserPrompt(new CxrStudy(false, false, Comparison: "Prior."), grounded: false));
    }

    [Fact]
    public void BuildUserPrompt_SectionHoldingAPlaceholderName_IsNotReadAgain()
    {
        string prompt = Builder.BuildUserPrompt(new CxrStudy(false, false, Indication: "{technique}"), grounded: false);
        Assert.EndsWith(" INDICATION: {technique} TECHNIQUE: N/A COMPARISON: N/A", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WrapsTheUserPromptInTheChatTemplate()
    {
        var study = new CxrStudy(false, false);
        Assert.Equal("<|user|>\n" + Builder.BuildUserPrompt(study, true) + "<|end|>\n<|assistant|>\n", Builder.Build(study, true));
    }
}
