using System.CommandLine;
using System.Text.Json;
using MedServe.Cli.Bench;
using MedServe.Inference.Packages;
using MedServe.Models;
using MedServe.Server.Configuration;

namespace MedServe.Cli.Commands;

/// <summary>
/// <c>medserve bench (--url URL [--key K] [--deployment NAME] | --in-process --model DIR) --request-file F
/// [--concurrency N] (--duration S | --requests N) [--mode closed|open --rate R] [--warmup N] [--json-out FILE]</c>:
/// a load generator that prints throughput, latency percentiles and answers by status (docs/cli.md#bench).
/// </summary>
internal static class BenchCommand
{
    public static Command Create(CliContext context) => Create(context, TimeProvider.System);

    public static Command Create(CliContext context, TimeProvider time)
    {
        var url = new Option<string?>("--url") { Description = "The scoring URL to load, e.g. http://127.0.0.1:5000/score." };
        var key = new Option<string?>("--key") { Description = "The endpoint key (default: $MEDSERVE_KEY)." };
        var deployment = new Option<string?>("--deployment") { Description = "Pin a deployment (azureml-model-deployment header)." };
        var inProcess = new Option<bool>("--in-process") { Description = "Score in this process without HTTP (needs --model): the ceiling the server is measured against." };
        var model = new Option<string?>("--model") { Description = "With --in-process: the model package folder." };
        var batching = new Option<string?>("--batching") { Description = "With --in-process: on (default, as `serve DIR` runs a package) or off (every request runs its own rows)." };
        var requestFile = new Option<string>("--request-file") { Description = "The JSON request body sent with every request.", Required = true };
        var concurrency = new Option<int>("--concurrency") { Description = "Closed loop: concurrent workers (default 1).", DefaultValueFactory = _ => 1 };
        var duration = new Option<double?>("--duration") { Description = "Seconds to keep starting requests." };
        var requests = new Option<long?>("--requests") { Description = "Number of requests (open loop: arrivals) to send." };
        var mode = new Option<string>("--mode") { Description = "closed (workers back to back, default) or open (a fixed arrival rate).", DefaultValueFactory = _ => "closed" };
        var rate = new Option<double?>("--rate") { Description = "Open loop: arrivals per second." };
        var maxOutstanding = new Option<int>("--max-outstanding") { Description = "Open loop: arrivals beyond this many in flight are dropped (default 256).", DefaultValueFactory = _ => 256 };
        var warmup = new Option<int>("--warmup") { Description = "Requests sent before measuring (default 0).", DefaultValueFactory = _ => 0 };
        var jsonOut = new Option<string?>("--json-out") { Description = "Also write the figures to this JSON file." };
        var timeout = new Option<double>("--timeout-seconds") { Description = "HTTP: a request without a whole answer after this many seconds is a timeout (default 60).", DefaultValueFactory = _ => 60 };
        var command = new Command("bench", "Load a scoring URL (or a package in process) and print throughput, latency percentiles and answers by status.")
        {
            url, key, deployment, inProcess, model, batching, requestFile, concurrency, duration, requests, mode, rate, maxOutstanding, warmup, jsonOut, timeout,
        };
        command.SetAction(async (parse, ct) =>
        {
            var problems = new List<string>();
            string? urlText = parse.GetValue(url);
            string? modelDir = parse.GetValue(model);
            bool local = parse.GetValue(inProcess);
            Uri? target = null;
            if (local)
            {
                if (urlText is not null)
                {
                    problems.Add("give either --url or --in-process, not both");
                }

                if (modelDir is null)
                {
                    problems.Add("--in-process needs --model DIR");
                }

                if (parse.GetValue(deployment) is not null || parse.GetValue(key) is not null)
                {
                    problems.Add("--key and --deployment only apply to --url");
                }

                if (parse.GetValue(batching) is { } batchingText && batchingText is not ("on" or "off"))
                {
                    problems.Add($"--batching must be on or off, not '{ScoringText(batchingText)}'");
                }
            }
            else if (urlText is null)
            {
                problems.Add("give --url URL (or --in-process --model DIR)");
            }
            else if (!Uri.TryCreate(urlText, UriKind.Absolute, out target) || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps))
            {
                problems.Add("--url must be an absolute http or https URL, e.g. http://127.0.0.1:5000/score");
            }
            else if (modelDir is not null)
            {
                problems.Add("--model only applies to --in-process");
            }

            if (!local && parse.GetValue(batching) is not null)
            {
                problems.Add("--batching only applies to --in-process (a server's batching is its deployment's setting)");
            }

            double? seconds = parse.GetValue(duration);
            long? count = parse.GetValue(requests);
            if ((seconds is null) == (count is null))
            {
                problems.Add("give exactly one of --duration S and --requests N");
            }

            if (seconds is { } s && (!double.IsFinite(s) || s <= 0 || s > 86_400))
            {
                problems.Add("--duration must be more than 0 and at most 86400 seconds");
            }

            if (count is < 1)
            {
                problems.Add("--requests must be at least 1");
            }

            int workers = parse.GetValue(concurrency);
            if (workers is < 1 or > 10_000)
            {
                problems.Add("--concurrency must be 1–10000");
            }

            LoadMode loadMode = LoadMode.Closed;
            string modeText = parse.GetValue(mode)!;
            double? arrivals = parse.GetValue(rate);
            if (modeText == "open")
            {
                loadMode = LoadMode.Open;
                if (arrivals is not { } r || !double.IsFinite(r) || r <= 0 || r > 1_000_000)
                {
                    problems.Add("--mode open needs --rate R, more than 0 and at most 1000000 requests per second");
                }
            }
            else if (modeText != "closed")
            {
                problems.Add($"--mode must be closed or open, not '{ScoringText(modeText)}'");
            }
            else if (arrivals is not null)
            {
                problems.Add("--rate only applies to --mode open");
            }

            int outstanding = parse.GetValue(maxOutstanding);
            if (outstanding is < 1 or > 100_000)
            {
                problems.Add("--max-outstanding must be 1–100000");
            }

            int warmupCount = parse.GetValue(warmup);
            if (warmupCount < 0)
            {
                problems.Add("--warmup must be at least 0");
            }

            double timeoutSeconds = parse.GetValue(timeout);
            if (!double.IsFinite(timeoutSeconds) || timeoutSeconds <= 0 || timeoutSeconds > 3600)
            {
                problems.Add("--timeout-seconds must be more than 0 and at most 3600");
            }

            if (problems.Count > 0)
            {
                foreach (string problem in problems)
                {
                    await context.Error.WriteLineAsync("error: " + problem).ConfigureAwait(false);
                }

                return ExitCodes.Usage;
            }

            string path = parse.GetValue(requestFile)!;
            if (await RequestFile.ReadAsync(context, path, ct).ConfigureAwait(false) is not { } body)
            {
                return ExitCodes.Usage;
            }

            var settings = new LoadSettings
            {
                Mode = loadMode,
                Concurrency = workers,
                Rate = arrivals ?? 0,
                MaxOutstanding = outstanding,
                Requests = count,
                Duration = seconds is { } sec ? TimeSpan.FromSeconds(sec) : null,
                Warmup = warmupCount,
            };

            IBenchTarget benchTarget;
            if (local)
            {
                try
                {
                    await context.Error.WriteLineAsync($"loading {modelDir} …").ConfigureAwait(false);
                    // The same batching as `serve DIR` unless asked otherwise, so the ceiling runs the server's pipeline.
                    var loadOptions = parse.GetValue(batching) == "off" ? new ModelLoadOptions() : new ModelLoadOptions { Batching = new BatchingSettings().ToOptions() };
                    benchTarget = new InProcessBenchTarget(ModelLoader.Load(modelDir!, loadOptions), body, modelDir!);
                }
                catch (ModelPackageException ex)
                {
                    await context.Error.WriteLineAsync($"error: model package '{ex.Directory}' was refused:").ConfigureAwait(false);
                    foreach (string problem in ex.Problems)
                    {
                        await context.Error.WriteLineAsync("  - " + problem).ConfigureAwait(false);
                    }

                    return ExitCodes.Failure;
                }
            }
            else
            {
                int connections = loadMode == LoadMode.Closed ? workers : outstanding;
                string? keyText = parse.GetValue(key) ?? Environment.GetEnvironmentVariable("MEDSERVE_KEY");

                // Plain HTTP through the harness's own lean client, so the load generator takes little of the
                // cores it shares with a local server; HTTPS through HttpClient.
                benchTarget = target!.Scheme == Uri.UriSchemeHttp
                    ? new RawHttpBenchTarget(target, body, keyText, parse.GetValue(deployment), TimeSpan.FromSeconds(timeoutSeconds), time)
                    : new HttpBenchTarget(target, body, keyText, parse.GetValue(deployment), connections, TimeSpan.FromSeconds(timeoutSeconds), time);
            }

            using (benchTarget)
            {
                return await BenchRun.RunAsync(context, benchTarget, settings, RowsOf(body), parse.GetValue(jsonOut), time, ct).ConfigureAwait(false);
            }
        });
        return command;
    }

    /// <summary>The request's row count (the length of <c>input_data.data</c>), or 0 when the body is not such an envelope.</summary>
    internal static int RowsOf(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("input_data", out var input)
                && input.ValueKind == JsonValueKind.Object
                && input.TryGetProperty("data", out var data)
                && data.ValueKind == JsonValueKind.Array
                ? data.GetArrayLength()
                : 0;
        }
        catch (JsonException)
        {
            return 0;
        }
    }

    private static string ScoringText(string value) => Models.Scoring.ScoringFrameParser.Truncate(value);
}
