using System.CommandLine;
using MedServe.Inference.Packages;
using MedServe.Models;

namespace MedServe.Cli.Commands;

/// <summary><c>medserve models check DIR</c>: the same validation as loading, with a summary.</summary>
internal static class ModelsCommand
{
    public static Command Create(CliContext context)
    {
        var directory = new Argument<string>("dir") { Description = "A model package folder." };
        var check = new Command("check", "Verify a model package: manifest, every file's SHA-256, every graph's signature.") { directory };
        check.SetAction(async parse =>
        {
            string dir = parse.GetValue(directory)!;
            await context.Output.WriteLineAsync($"checking {Path.GetFullPath(dir)} …").ConfigureAwait(false);
            var report = PackageValidator.Check(dir);
            if (report.IsValid)
            {
                // The model build checks what the generic validation cannot (task, settings against
                // graph shapes, tokenizer files): the same refusal serve would give.
                try
                {
                    using var model = ModelLoader.Load(dir);
                }
                catch (ModelPackageException ex)
                {
                    report = report with { Problems = ex.Problems };
                }
            }

            var output = context.Output;
            if (report.Manifest is { } m)
            {
                await output.WriteLineAsync($"package:  {m.Name} {m.Version} ({m.Task}){(m.Synthetic ? " — SYNTHETIC weights" : "")}").ConfigureAwait(false);
                if (m.Source is not null)
                {
                    await output.WriteLineAsync($"source:   {m.Source}").ConfigureAwait(false);
                }

                if (m.License is not null)
                {
                    await output.WriteLineAsync($"license:  {m.License}").ConfigureAwait(false);
                }
            }

            foreach (var file in report.Files)
            {
                string state = file.Bytes < 0 ? "MISSING" : file.ChecksumMatches ? "ok" : "CHECKSUM MISMATCH";
                string size = file.Bytes < 0 ? "" : $"{file.Bytes,12:N0} B";
                await output.WriteLineAsync($"file      {file.Path,-40} {size,16}  {state}").ConfigureAwait(false);
            }

            foreach (var graph in report.Graphs)
            {
                await output.WriteLineAsync($"graph     {graph.Role} ({graph.File}): {(graph.Matches ? "signature ok" : "SIGNATURE MISMATCH")}").ConfigureAwait(false);
                foreach (var input in graph.Inputs)
                {
                    await output.WriteLineAsync($"            in  {input}").ConfigureAwait(false);
                }

                foreach (var o in graph.Outputs)
                {
                    await output.WriteLineAsync($"            out {o}").ConfigureAwait(false);
                }
            }

            if (report.IsValid)
            {
                await output.WriteLineAsync("valid: every checksum and graph signature matches the manifest").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await context.Error.WriteLineAsync($"invalid: {report.Problems.Count} problem(s)").ConfigureAwait(false);
            foreach (string problem in report.Problems)
            {
                await context.Error.WriteLineAsync("  - " + problem).ConfigureAwait(false);
            }

            return ExitCodes.Failure;
        });
        return new Command("models", "Work with model packages.") { check };
    }
}
