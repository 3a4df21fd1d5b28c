using System.Text;
using System.Text.Json;
using MedServe.Inference.Packages;
using MedServe.Inference.Tokenization;
using MedServe.Models.CxrReportGen;
using MedServe.Onnx;
using MedServe.Onnx.SentencePiece;
using MedServe.Onnx.Synthetic;

namespace MedServe.Models.Demo;

/// <summary>
/// Writes a synthetic CXRReportGen package: the real graph layout and loading code, a SentencePiece
/// model built from the prompt wording and the scripted findings, Phi-3's chat template and added tokens,
/// and a decoder (<see cref="SyntheticCxrReportGen"/>) that emits <see cref="DarkFindings"/> for an image
/// that is dark on average and <see cref="BrightFindings"/> for a bright one, then <c>&lt;|end|&gt;</c>.
/// </summary>
public static class CxrReportGenDemoPackage
{
    /// <summary>The model output the demo emits for a dark study (mean normalised pixel ≤ 0).</summary>
    public const string DarkFindings =
        "<obj>The lungs are clear.</obj><obj>No pleural effusion or pneumothorax.</obj>"
        + "<obj>Median sternotomy wires are present.<box><x45><y20><x55><y62></box></obj>";

    /// <summary>The model output the demo emits for a bright study.</summary>
    public const string BrightFindings =
        "<obj>The cardiomediastinal silhouette is normal.</obj>"
        + "<obj>There is a patchy opacity in the right lower lung.<box><x15><y55><x42><y80></box></obj>"
        + "<obj>Small bilateral pleural effusions.<box><x10><y70><x30><y90></box><box><x68><y70><x90><y90></box></obj>";

    /// <summary>
    /// The most images one run of the demo's vision graph takes (its batch dimension is symbolic), so the
    /// images of concurrent requests share runs when batching is on.
    /// </summary>
    public const int VisionMaxBatchSize = 8;

    /// <summary>Phi-3's added tokens before the image and grounding tokens.</summary>
    public static IReadOnlyList<string> ChatTokens { get; } = ["<|endoftext|>", "<|assistant|>", "<|end|>", "<|user|>"];

    /// <summary>Writes the package; returns <paramref name="directory"/>.</summary>
    /// <param name="directory">The package folder.</param>
    /// <param name="name">The package (endpoint) name.</param>
    /// <param name="darkFindings">The output for dark studies, or null for <see cref="DarkFindings"/>.</param>
    /// <param name="brightFindings">The output for bright studies, or null for <see cref="BrightFindings"/>.</param>
    /// <param name="scripted">False for a decoder without a script, whose tokens come from its attention alone.</param>
    /// <param name="floatType">The graphs' float type: float32, or <see cref="OnnxElementType.Float16"/> for a package whose pixels, embeddings, logits and key/value cache are float16.</param>
    public static string Write(string directory, string name = DemoPackages.CxrReportGenName, string? darkFindings = null,
        string? brightFindings = null, bool scripted = true, OnnxElementType floatType = OnnxElementType.Float)
    {
        darkFindings ??= DarkFindings;
        brightFindings ??= BrightFindings;
        var prompt = new PromptSettings();
        var grounding = new GroundingSettings();
        string[] corpus =
        [
            prompt.FrontalOnly, prompt.Frontal, prompt.LateralBeforePrior, prompt.Lateral, prompt.Prior, prompt.PriorReport,
            prompt.GroundedInstruction, prompt.PlainInstruction, prompt.Missing, StripTags(darkFindings), StripTags(brightFindings),
        ];
        byte[] model = SentencePieceModelBuilder.Build(corpus);
        int pieces = SentencePieceModelBuilder.Pieces(corpus).Count;
        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string token in ChatTokens.Append(CxrReportGenDefaults.ImageToken).Concat(CxrReportGenDefaults.GroundingTokens(grounding)))
        {
            added[token] = pieces + added.Count;
        }

        const string ModelFile = "tokenizer/tokenizer.model";
        const string AddedFile = "tokenizer/added_tokens.json";
        byte[] addedJson = JsonSerializer.SerializeToUtf8Bytes(added, DemoJsonContext.Default.DictionaryStringInt32);
        string modelPath = Path.Combine(directory, ModelFile);
        Directory.CreateDirectory(Path.GetDirectoryName(modelPath)!);
        File.WriteAllBytes(modelPath, model);
        File.WriteAllBytes(Path.Combine(directory, AddedFile), addedJson);
        var tokenizer = SentencePieceTextTokenizer.Load(modelPath, Path.Combine(directory, AddedFile), addBeginOfSentence: true);

        int end = added["<|end|>"];
        int marker = added["<|assistant|>"];
        var builder = new CxrPromptBuilder(new GenerationSettings { ChatTemplate = CxrReportGenDefaults.Phi3ChatTemplate, ImageToken = CxrReportGenDefaults.ImageToken });
        var sample = tokenizer.Encode(builder.Build(new CxrStudy(false, false), grounded: true));
        int lead = sample.Count - 1 - sample.ToList().LastIndexOf(marker);
        var spec = new SyntheticCxrSpec
        {
            VocabularySize = tokenizer.VocabularySize,
            MarkerTokenId = marker,
            Lead = lead,
            Scripts = scripted ? [Script(tokenizer, darkFindings, end), Script(tokenizer, brightFindings, end)] : [],
            FloatType = floatType,
        };

        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["vision.onnx"] = SyntheticCxrReportGen.VisionBytes(spec),
            ["embed.onnx"] = SyntheticCxrReportGen.EmbedBytes(spec),
            ["decoder.onnx"] = SyntheticCxrReportGen.DecoderBytes(spec),
            [ModelFile] = model,
            [AddedFile] = addedJson,
        };
        var manifest = new PackageManifest
        {
            FormatVersion = PackageManifest.CurrentFormatVersion,
            Task = CxrReportGenModel.TaskName,
            Name = name,
            Version = DemoPackages.Version,
            Synthetic = true,
            Description = "SYNTHETIC demo package: CXRReportGen graph layout with tiny deterministic graphs. A dark study gets one scripted report, a bright one another; they are test values, not findings.",
            License = "MIT (generated by MedServe; contains no model weights)",
            Source = "medserve demo (MedServe.Onnx.Synthetic)",
            Graphs = new Dictionary<string, GraphSignature>(StringComparer.Ordinal)
            {
                [SyntheticCxrReportGen.VisionGraph] = DemoPackages.ToGraph("vision.onnx", SyntheticCxrReportGen.VisionSignature(spec)) with { MaxBatchSize = VisionMaxBatchSize },
                [SyntheticCxrReportGen.EmbedGraph] = DemoPackages.ToGraph("embed.onnx", SyntheticCxrReportGen.EmbedSignature(spec)),
                [SyntheticCxrReportGen.DecoderGraph] = DemoPackages.ToGraph("decoder.onnx", SyntheticCxrReportGen.DecoderSignature(spec)),
            },
            Preprocessing = CxrReportGenDefaults.Preprocessing with { ImageSize = spec.ImageSize },
            Tokenizer = new TokenizerSettings { Kind = CxrReportGenModel.SentencePieceKind, Model = ModelFile, AddedTokens = AddedFile, AddBos = true },
            Generation = new GenerationSettings
            {
                ChatTemplate = CxrReportGenDefaults.Phi3ChatTemplate,
                ImageToken = CxrReportGenDefaults.ImageToken,
                ImageTokens = spec.ImageTokens,
                EosTokenIds = [added["<|endoftext|>"], end],
                Layers = spec.Layers,
                KeyValueHeads = spec.Heads,
                HeadDim = spec.HeadDim,
                HiddenSize = spec.HiddenSize,
                VocabularySize = spec.VocabularySize,
            },
            Limits = new PackageLimits { MaxRows = 10, MaxBatchSize = 1 },
        };
        PackageWriter.Write(directory, manifest, files);
        return directory;
    }

    /// <summary>The ids of a model output (no <c>&lt;s&gt;</c>) followed by <paramref name="end"/>.</summary>
    private static int[] Script(SentencePieceTextTokenizer tokenizer, string output, int end)
    {
        var ids = tokenizer.Encode(output);
        return [.. ids.Skip(ids.Count > 0 && ids[0] == tokenizer.BeginOfSentenceId ? 1 : 0), end];
    }

    private static string StripTags(string output)
    {
        var text = new StringBuilder();
        bool inTag = false;
        foreach (char c in output)
        {
            if (c == '<')
            {
                inTag = true;
                text.Append(' ');
            }
            else if (c == '>')
            {
                inTag = false;
            }
            else if (!inTag)
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
