using System.Text;
using MedServe.Inference.Packages;

namespace MedServe.Models.CxrReportGen;

/// <summary>
/// Builds the CXRReportGen prompt with MAIRA-2's wording (or the package's):
/// <code>
/// frontal phrase + &lt;image&gt; [+ lateral phrase + &lt;image&gt;] [+ prior phrase + &lt;image&gt; + " PRIOR_REPORT: …"]
///   + grounded or plain instruction with " INDICATION: … TECHNIQUE: … COMPARISON: …" (missing → "N/A")
///   ─► chat template ("{prompt}" replaced)
/// </code>
/// Placeholders in the wording are replaced in one pass, so a section's own text is never re-read.
/// </summary>
public sealed class CxrPromptBuilder
{
    private readonly PromptSettings _prompt;
    private readonly string _imageToken;
    private readonly string _templateHead;
    private readonly string _templateTail;

    /// <summary>Creates a builder from the package's generation settings.</summary>
    /// <exception cref="ArgumentException">The chat template has no <c>{prompt}</c>.</exception>
    public CxrPromptBuilder(GenerationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _prompt = settings.Prompt;
        _imageToken = settings.ImageToken;
        int at = settings.ChatTemplate.IndexOf(PromptSlot, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new ArgumentException($"generation.chat_template must contain {PromptSlot}");
        }

        _templateHead = settings.ChatTemplate[..at];
        _templateTail = settings.ChatTemplate[(at + PromptSlot.Length)..];
    }

    private const string PromptSlot = "{prompt}";

    /// <summary>The user prompt, before the chat template.</summary>
    public string BuildUserPrompt(CxrStudy study, bool grounded)
    {
        ArgumentNullException.ThrowIfNull(study);
        var text = new StringBuilder();
        if (!study.HasLateral && !study.HasPrior)
        {
            text.Append(_prompt.FrontalOnly).Append(_imageToken);
        }
        else
        {
            text.Append(_prompt.Frontal).Append(_imageToken);
            if (study.HasLateral)
            {
                text.Append(study.HasPrior ? _prompt.LateralBeforePrior : _prompt.Lateral).Append(_imageToken);
            }

            if (study.HasPrior)
            {
                text.Append(_prompt.Prior).Append(_imageToken);
            }
        }

        if (study.HasPrior)
        {
            Fill(text, _prompt.PriorReport, study);
        }

        Fill(text, grounded ? _prompt.GroundedInstruction : _prompt.PlainInstruction, study);
        return text.ToString();
    }

    /// <summary>The full model input text: the user prompt inside the chat template.</summary>
    public string Build(CxrStudy study, bool grounded) => _templateHead + BuildUserPrompt(study, grounded) + _templateTail;

    private void Fill(StringBuilder text, string wording, CxrStudy study)
    {
        int i = 0;
        while (i < wording.Length)
        {
            int open = wording.IndexOf('{', i);
            int close = open < 0 ? -1 : wording.IndexOf('}', open + 1);
            if (open < 0 || close < 0)
            {
                text.Append(wording, i, wording.Length - i);
                return;
            }

            text.Append(wording, i, open - i);
            string name = wording[(open + 1)..close];
            string? value = name switch
            {
                "indication" => Section(study.Indication),
                "technique" => Section(study.Technique),
                "comparison" => Section(study.Comparison),
                "prior_report" => Section(study.PriorReport),
                _ => null,
            };
            text.Append(value ?? wording[open..(close + 1)]);
            i = close + 1;
        }
    }

    private string Section(string? value) => string.IsNullOrEmpty(value) ? _prompt.Missing : value;
}
