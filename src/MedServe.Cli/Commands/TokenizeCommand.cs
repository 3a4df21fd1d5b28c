using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using MedServe.Inference.Packages;
using MedServe.Inference.Tokenization;
using MedServe.Models;

namespace MedServe.Cli.Commands;

/// <summary>
/// <c>medserve tokenize (--model DIR | --vocab FILE) TEXT [--json]</c>: the exact ids, attention mask
/// and truncation the text encoder sees.
/// </summary>
internal static class TokenizeCommand
{
    public static Command Create(CliContext context)
    {
        var text = new Argument<string>("text") { Description = "The text to tokenize." };
        var model = new Option<string?>("--model") { Description = "A model package folder (uses its tokenizer and context length)." };
        var vocab = new Option<string?>("--vocab") { Description = "OpenAI's bpe_simple_vocab_16e6.txt.gz, or a Hugging Face vocab.json with merges.txt beside it." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var contextLength = new Option<int?>("--context-length") { Description = "Sequence length (default: the package's, else 77)." };
        var command = new Command("tokenize", "Tokenize a text as the text encoder receives it.") { text, model, vocab, json, contextLength };
        command.SetAction(async parse =>
        {
            string? modelDir = parse.GetValue(model);
            string? vocabFile = parse.GetValue(vocab);
            if ((modelDir is null) == (vocabFile is null))
            {
                await context.Error.WriteLineAsync("error: give exactly one of --model DIR or --vocab FILE").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            ClipTokenizer tokenizer;
            int length = parse.GetValue(contextLength) ?? 77;
            try
            {
                if (modelDir is not null)
                {
                    (tokenizer, int packageLength) = LoadFromPackage(modelDir);
                    length = parse.GetValue(contextLength) ?? packageLength;
                }
                else
                {
                    tokenizer = LoadFromVocab(vocabFile!);
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or JsonException or ModelPackageException or UnauthorizedAccessException or FormatException)
            {
                await context.Error.WriteLineAsync($"error: cannot load the tokenizer: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            if (length < 2)
            {
                await context.Error.WriteLineAsync("error: --context-length must be at least 2").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var encoding = tokenizer.EncodeForModel(parse.GetValue(text) ?? "", length);
            var result = new TokenizeOutput(encoding.InputIds, encoding.AttentionMask, encoding.EosIndex, encoding.TokenCount, encoding.Truncated);
            if (parse.GetValue(json))
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(result, CliOutputJsonContext.Default.TokenizeOutput)).ConfigureAwait(false);
            }
            else
            {
                await context.Output.WriteLineAsync($"input_ids:      {string.Join(' ', result.InputIds)}").ConfigureAwait(false);
                await context.Output.WriteLineAsync($"attention_mask: {string.Join(' ', result.AttentionMask)}").ConfigureAwait(false);
                await context.Output.WriteLineAsync($"eos_index:      {result.EosIndex}").ConfigureAwait(false);
                await context.Output.WriteLineAsync($"tokens:         {result.TokenCount} (with start and end tokens)").ConfigureAwait(false);
                await context.Output.WriteLineAsync($"truncated:      {(result.Truncated ? "yes" : "no")}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static (ClipTokenizer Tokenizer, int ContextLength) LoadFromPackage(string directory)
    {
        using var package = ModelPackage.Load(directory);
        return (TokenizerLoader.Load(package), package.Manifest.Tokenizer!.ContextLength);
    }

    private static ClipTokenizer LoadFromVocab(string file)
    {
        if (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            string merges = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, "merges.txt");
            if (!File.Exists(merges))
            {
                throw new FileNotFoundException($"a Hugging Face vocab.json needs merges.txt beside it; '{merges}' does not exist");
            }

            return ClipTokenizer.FromHuggingFace(file, merges);
        }

        return ClipTokenizer.FromOpenAiMerges(file);
    }
}

/// <summary>The JSON <c>tokenize --json</c> prints.</summary>
internal sealed record TokenizeOutput(
    [property: JsonPropertyName("input_ids")] IReadOnlyList<long> InputIds,
    [property: JsonPropertyName("attention_mask")] IReadOnlyList<long> AttentionMask,
    [property: JsonPropertyName("eos_index")] int EosIndex,
    [property: JsonPropertyName("token_count")] int TokenCount,
    [property: JsonPropertyName("truncated")] bool Truncated);
