using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MedServe.Inference.Tokenization;
using MedServe.Models.CxrReportGen;
using MedServe.Models.Demo;
using MedServe.Onnx;
using MedServe.Onnx.Synthetic;

namespace MedServe.Models.Tests.CxrReportGen;

/// <summary>
/// Variants of the demo CXRReportGen package for tests, each a demo package with one graph replaced (and
/// its checksum and manifest entry updated):
/// <list type="bullet">
/// <item><see cref="WriteBatchRevealing"/>: a vision graph whose output tells the batch size of its run.</item>
/// <item><see cref="WriteFixedVisionBatch"/>: a vision graph with a fixed number of images per run.</item>
/// <item><see cref="WriteScripted"/>: a decoder (and embed table) with scripts of raw ids, optionally wider than the tokenizer.</item>
/// </list>
/// </summary>
internal static class CxrTestPackages
{
    private const string Vision = "vision.onnx";

    /// <summary>
    /// The demo package with a vision graph that keeps the demo's brightness channel (channel 0 = the mean of
    /// each patch) but multiplies it by <c>3 − 2B</c>, B the number of images in the run: a run of one image
    /// keeps its brightness, a shared run flips it, so a dark study gets the bright findings and a bright one
    /// the dark findings. With <paramref name="failOnBright"/>, a run that holds a bright image (mean
    /// normalised pixel above 1: <see cref="CxrTestImages.Bright"/> is about 2, the server's mid-gray warm-up
    /// image about 0.15) fails inside ONNX Runtime (a Gather out of range).
    /// </summary>
    public static string WriteBatchRevealing(string directory, bool failOnBright = false)
    {
        CxrReportGenDemoPackage.Write(directory);
        var (size, tokens, hidden) = VisionSizes(directory);
        int grid = (int)Math.Sqrt(tokens);
        int patch = size / grid;
        var g = new OnnxGraphBuilder(SyntheticCxrReportGen.VisionGraph);
        var pixels = g.AddInput(SyntheticCxrReportGen.PixelValues, OnnxElementType.Float, [SyntheticCxrReportGen.ImageCountDim, 3, size, size]);
        var gray = g.AddNode("ReduceMean", [pixels], OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 1));
        var patches = g.AddNode("Reshape", [gray, g.AddInitializer("patch_shape", [0L, grid, patch, grid, patch], [5])]);
        var means = g.AddNode("ReduceMean", [patches], OnnxAttribute.Ints("axes", 2, 4), OnnxAttribute.Int("keepdims", 0));
        var column = g.AddNode("Reshape", [means, g.AddInitializer("token_shape", [0L, tokens, 1], [3])]);
        var count = g.AddNode("Cast", [g.AddNode("Gather", [g.AddNode("Shape", [pixels]), g.AddInitializer("first", [0L], [1])])],
            OnnxAttribute.Int("to", (long)OnnxElementType.Float));
        var factor = g.AddNode("Sub", [g.AddInitializer("three", [3f], [1]), g.AddNode("Mul", [count, g.AddInitializer("two", [2f], [1])])]);
        var channel0 = new float[hidden];
        channel0[0] = 1f;
        var embeds = g.AddNode("MatMul", [g.AddNode("Mul", [column, factor]), g.AddInitializer("to_channel_0", channel0, [1, hidden])]);
        if (failOnBright)
        {
            var mean = g.AddNode("ReduceMean", [pixels], OnnxAttribute.Ints("axes", 1, 2, 3), OnnxAttribute.Int("keepdims", 0));
            var bright = g.AddNode("Cast", [g.AddNode("Greater", [mean, g.AddInitializer("bright", [1f], [])])], OnnxAttribute.Int("to", (long)OnnxElementType.Int64));
            var index = g.AddNode("Mul", [bright, g.AddInitializer("out_of_range", [1000L], [])]);
            var zeros = g.AddNode("Gather", [g.AddInitializer("zeros", [0f, 0f], [2]), index], OnnxAttribute.Int("axis", 0));
            embeds = g.AddNode("Add", [embeds, g.AddNode("Unsqueeze", [zeros, g.AddInitializer("axes_1_2", [1L, 2L], [2])])]);
        }

        g.AddOutput(embeds, SyntheticCxrReportGen.ImageEmbeds, OnnxElementType.Float, [SyntheticCxrReportGen.ImageCountDim, tokens, hidden]);
        return Replace(directory, Vision, g.ToModelBytes());
    }

    /// <summary>
    /// The demo package with a vision graph that takes exactly <paramref name="images"/> images per run (a
    /// fixed batch dimension), declaring graph <c>max_batch_size</c> <paramref name="graphLimit"/> (none when
    /// null) and <c>limits.max_batch_size</c> <paramref name="packageLimit"/>.
    /// </summary>
    public static string WriteFixedVisionBatch(string directory, int images, int? graphLimit, int packageLimit = 1)
    {
        CxrReportGenDemoPackage.Write(directory);
        var (size, tokens, hidden) = VisionSizes(directory);
        var g = new OnnxGraphBuilder(SyntheticCxrReportGen.VisionGraph);
        var pixels = g.AddInput(SyntheticCxrReportGen.PixelValues, OnnxElementType.Float, [images, 3, size, size]);
        var mean = g.AddNode("ReduceMean", [pixels], OnnxAttribute.Ints("axes", 1, 2, 3), OnnxAttribute.Int("keepdims", 0));
        var embeds = g.AddNode("Mul", [g.AddNode("Reshape", [mean, g.AddInitializer("column", [0L, 1, 1], [3])]), g.AddInitializer("ones", Enumerable.Repeat(1f, tokens * hidden).ToArray(), [1, tokens, hidden])]);
        g.AddOutput(embeds, SyntheticCxrReportGen.ImageEmbeds, OnnxElementType.Float, [images, tokens, hidden]);
        return Replace(directory, Vision, g.ToModelBytes(), manifest =>
        {
            var vision = manifest["graphs"]!["vision"]!;
            vision["inputs"]![0]!["shape"]![0] = images;
            vision["outputs"]![0]!["shape"]![0] = images;
            if (graphLimit is { } limit)
            {
                vision["max_batch_size"] = limit;
            }
            else
            {
                vision.AsObject().Remove("max_batch_size");
            }

            manifest["limits"]!["max_batch_size"] = packageLimit;
        });
    }

    /// <summary>
    /// The demo package with a decoder whose scripts are raw ids: <paramref name="scripts"/> gets the demo's
    /// tokenizer and returns the dark and bright scripts (past its end a script repeats its last id, so a
    /// script without an EOS runs to the token limit). The logits (and the embed table) are
    /// <paramref name="padding"/> ids wider than the tokenizer, as Phi-3 pads 32,011 ids to 32,064.
    /// <paramref name="maxNewTokens"/> replaces the package's generation.max_new_tokens when given.
    /// </summary>
    public static string WriteScripted(string directory, Func<SentencePieceTextTokenizer, (int[] Dark, int[] Bright)> scripts, int padding = 0,
        int? maxNewTokens = null)
    {
        CxrReportGenDemoPackage.Write(directory);
        SyntheticCxrSpec spec;
        using (var model = (CxrReportGenModel)ModelLoader.Load(directory))
        {
            var tokenizer = model.Tokenizer;
            int marker = tokenizer.AddedTokens["<|assistant|>"];
            // The script starts at the prompt's last token: count the tokens after the marker.
            var prompt = tokenizer.Encode(model.Prompts.Build(new CxrStudy(false, false), grounded: true));
            var (dark, bright) = scripts(tokenizer);
            spec = new SyntheticCxrSpec
            {
                VocabularySize = tokenizer.VocabularySize + padding,
                MarkerTokenId = marker,
                Lead = prompt.Count - 1 - prompt.ToList().LastIndexOf(marker),
                Scripts = [dark, bright],
            };
        }

        Replace(directory, "embed.onnx", SyntheticCxrReportGen.EmbedBytes(spec));
        return Replace(directory, "decoder.onnx", SyntheticCxrReportGen.DecoderBytes(spec), manifest =>
        {
            manifest["generation"]!["vocab_size"] = spec.VocabularySize;
            manifest["graphs"]!["decoder"]!["outputs"]![0]!["shape"]![2] = spec.VocabularySize;
            if (maxNewTokens is { } limit)
            {
                manifest["generation"]!["max_new_tokens"] = limit;
            }
        });
    }

    /// <summary>Replaces a package file, its checksum, and applies <paramref name="edit"/> to the manifest.</summary>
    public static string Replace(string directory, string file, byte[] bytes, Action<JsonNode>? edit = null)
    {
        File.WriteAllBytes(Path.Combine(directory, file), bytes);
        return EditManifest(directory, manifest =>
        {
            manifest["files"]![file] = Convert.ToHexStringLower(SHA256.HashData(bytes));
            edit?.Invoke(manifest);
        });
    }

    /// <summary>Applies <paramref name="edit"/> to the package's manifest (checksums cover the files, not the manifest).</summary>
    public static string EditManifest(string directory, Action<JsonNode> edit)
    {
        string path = Path.Combine(directory, "medserve.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!;
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString());
        return directory;
    }

    private static (int Size, int Tokens, int Hidden) VisionSizes(string directory)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "medserve.json")))!;
        return ((int)manifest["preprocessing"]!["image_size"]!, (int)manifest["generation"]!["image_tokens"]!, (int)manifest["generation"]!["hidden_size"]!);
    }
}
