using System.Text;
using System.Text.Json;
using MedServe.Models.Demo;

namespace MedServe.Cli.Tests.Bench;

public sealed class BenchCommandTests : IDisposable
{
    private const string Key = "bench-test-key-0123456789";
    private const string TwoTextRows = """{"input_data": {"columns": ["text"], "data": [["chest x-ray"], ["brain mri"]]}}""";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "medserve-bench-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private string Package() => DemoPackages.WriteMedImageInsight(Path.Combine(_dir, "pkg", DemoPackages.MedImageInsightName));

    private string WriteFile(string name, string content)
    {
        Directory.CreateDirectory(_dir);
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private JsonElement ReadJson(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        return json.RootElement.Clone();
    }

    [Fact]
    public async Task Bench_ClosedLoopAgainstServe_CountsEveryRequestAndItsRows()
    {
        await using var server = await CliRunner.StartAsync("serve", Package(), "--port", "0", "--primary-key", Key);
        string request = WriteFile("request.json", TwoTextRows);
        string jsonOut = Path.Combine(_dir, "closed.json");
        var (code, output, error) = await CliRunner.RunAsync("bench", "--url", new Uri(server.Address, "/score").ToString(), "--key", Key,
            "--request-file", request, "--concurrency", "4", "--requests", "24", "--warmup", "3", "--json-out", jsonOut);
        Assert.True(code == 0, output + error);
        var json = ReadJson(jsonOut);
        Assert.Equal("closed", json.GetProperty("mode").GetString());
        Assert.Equal(4, json.GetProperty("concurrency").GetInt32());
        Assert.Equal(24, json.GetProperty("requests").GetInt64());
        Assert.Equal(24, json.GetProperty("status_counts").GetProperty("200").GetInt64());
        Assert.Equal(2, json.GetProperty("rows_per_request").GetInt32());
        double rps = json.GetProperty("throughput_rps").GetDouble();
        Assert.True(rps > 0);
        Assert.Equal(2 * rps, json.GetProperty("rows_per_s").GetDouble(), tolerance: 0.01);
        Assert.Contains("requests:    24 finished, 24 ok (2xx), 0 not ok, 0 dropped", output, StringComparison.Ordinal);
        Assert.Contains($"wrote {jsonOut}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_OpenLoopAgainstServe_SendsEveryArrivalAtTheRate()
    {
        await using var server = await CliRunner.StartAsync("serve", Package(), "--port", "0", "--primary-key", Key);
        string request = WriteFile("request.json", TwoTextRows);
        string jsonOut = Path.Combine(_dir, "open.json");
        var (code, output, error) = await CliRunner.RunAsync("bench", "--url", new Uri(server.Address, "/score").ToString(), "--key", Key,
            "--request-file", request, "--mode", "open", "--rate", "200", "--requests", "30", "--max-outstanding", "64", "--json-out", jsonOut);
        Assert.True(code == 0, output + error);
        var json = ReadJson(jsonOut);
        Assert.Equal("open", json.GetProperty("mode").GetString());
        Assert.Equal(200, json.GetProperty("rate").GetDouble());
        Assert.Equal(64, json.GetProperty("concurrency").GetInt32());

        // Every arrival either ran or was dropped; 30 arrivals never reach 64 in flight on loopback.
        Assert.Equal(30, json.GetProperty("requests").GetInt64() + json.GetProperty("dropped").GetInt64());
        Assert.Equal(json.GetProperty("requests").GetInt64(), json.GetProperty("status_counts").GetProperty("200").GetInt64());
        Assert.Contains("load:        open loop, 200 req/s, at most 64 in flight, ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_WrongKey_Counts401sAndExitsOne()
    {
        await using var server = await CliRunner.StartAsync("serve", Package(), "--port", "0", "--primary-key", Key);
        string request = WriteFile("request.json", TwoTextRows);
        string jsonOut = Path.Combine(_dir, "401.json");
        var (code, output, error) = await CliRunner.RunAsync("bench", "--url", new Uri(server.Address, "/score").ToString(), "--key", "not-the-key-0123456789",
            "--request-file", request, "--concurrency", "2", "--requests", "10", "--json-out", jsonOut);
        Assert.Equal(1, code);
        Assert.Contains("error: no request was answered 2xx", error, StringComparison.Ordinal);
        Assert.Contains("status:      401: 10", output, StringComparison.Ordinal);
        var json = ReadJson(jsonOut);
        Assert.Equal(["401"], json.GetProperty("status_counts").EnumerateObject().Select(p => p.Name));
        Assert.Equal(10, json.GetProperty("status_counts").GetProperty("401").GetInt64());
        Assert.Equal(0, json.GetProperty("succeeded").GetInt64());
        Assert.Equal(0, json.GetProperty("throughput_rps").GetDouble());
    }

    [Fact]
    public async Task Bench_DeploymentPin_SendsTheHeaderSoAnUnknownDeploymentIsCounted404()
    {
        await using var server = await CliRunner.StartAsync("serve", Package(), "--port", "0", "--primary-key", Key);
        string request = WriteFile("request.json", TwoTextRows);
        string url = new Uri(server.Address, "/score").ToString();
        string pinned = Path.Combine(_dir, "pinned.json");
        var ok = await CliRunner.RunAsync("bench", "--url", url, "--key", Key, "--request-file", request, "--requests", "3",
            "--deployment", DemoPackages.MedImageInsightName, "--json-out", pinned);
        Assert.True(ok.ExitCode == 0, ok.Output + ok.Error);
        Assert.Equal(3, ReadJson(pinned).GetProperty("status_counts").GetProperty("200").GetInt64());

        string unknown = Path.Combine(_dir, "unknown.json");
        var refused = await CliRunner.RunAsync("bench", "--url", url, "--key", Key, "--request-file", request, "--requests", "3",
            "--deployment", "no-such-deployment", "--json-out", unknown);
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal(["404"], ReadJson(unknown).GetProperty("status_counts").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Bench_NothingListening_CountsTransportErrors()
    {
        // Port 1 on loopback: nothing listens there, so every connection is refused.
        string request = WriteFile("request.json", TwoTextRows);
        string jsonOut = Path.Combine(_dir, "refused.json");
        var (code, _, _) = await CliRunner.RunAsync("bench", "--url", "http://127.0.0.1:1/score", "--request-file", request, "--requests", "3", "--json-out", jsonOut);
        Assert.Equal(1, code);
        var json = ReadJson(jsonOut);
        Assert.Equal(3, json.GetProperty("transport_errors").GetInt64());
        Assert.Empty(json.GetProperty("status_counts").EnumerateObject());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("on")]
    [InlineData("off")]
    public async Task Bench_InProcess_ScoresWithoutHttpAndPrintsTheSameFigures(string? batching)
    {
        string request = WriteFile("request.json", TwoTextRows);
        string jsonOut = Path.Combine(_dir, "local.json");
        string package = Package();
        string[] batchingArgs = batching is null ? [] : ["--batching", batching];
        var (code, output, error) = await CliRunner.RunAsync(["bench", "--in-process", "--model", package, "--request-file", request,
            "--concurrency", "3", "--requests", "15", "--json-out", jsonOut, .. batchingArgs]);
        Assert.True(code == 0, output + error);
        Assert.Contains($"target:      in-process {package}", output, StringComparison.Ordinal);
        var json = ReadJson(jsonOut);
        Assert.Equal(15, json.GetProperty("status_counts").GetProperty("200").GetInt64());
        Assert.Equal(15, json.GetProperty("requests").GetInt64());
        Assert.Equal(3, json.GetProperty("concurrency").GetInt32());
        Assert.Equal(2 * json.GetProperty("throughput_rps").GetDouble(), json.GetProperty("rows_per_s").GetDouble(), tolerance: 0.01);
    }

    [Fact]
    public async Task Bench_InProcessWithABadRequest_CountsTheModels400()
    {
        string request = WriteFile("request.json", """{"input_data": {"columns": ["nope"], "data": [["x"]]}}""");
        string jsonOut = Path.Combine(_dir, "bad.json");
        var (code, _, _) = await CliRunner.RunAsync("bench", "--in-process", "--model", Package(), "--request-file", request, "--requests", "4", "--json-out", jsonOut);
        Assert.Equal(1, code);
        Assert.Equal(4, ReadJson(jsonOut).GetProperty("status_counts").GetProperty("400").GetInt64());
    }

    [Fact]
    public async Task Bench_CtrlC_StopsAndStillPrintsTheFigures()
    {
        string request = WriteFile("request.json", TwoTextRows);
        string jsonOut = Path.Combine(_dir, "stopped.json");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var output = new StringWriter();

        // Cancel (as Ctrl+C does) once a progress line shows finished requests (on a busy machine the
        // first second can pass in loading and JIT with none).
        using var error = new CancelOnWrite(@"progress: [0-9.]+ s, [1-9][0-9]* finished", cts);
        int code = await CliApp.RunAsync(
            ["bench", "--in-process", "--model", Package(), "--request-file", request, "--duration", "3600", "--json-out", jsonOut],
            output, TextWriter.Synchronized(error), cts.Token);
        Assert.Equal(0, code);
        Assert.Contains("(interrupted)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("interrupted: the figures cover what finished until then", error.ToString(), StringComparison.Ordinal);
        var json = ReadJson(jsonOut);
        Assert.True(json.GetProperty("interrupted").GetBoolean());
        Assert.True(json.GetProperty("status_counts").GetProperty("200").GetInt64() > 0);
    }

    [Theory]
    [InlineData("", "error: give --url URL (or --in-process --model DIR)")]
    [InlineData("--url http://127.0.0.1:1/score --requests 1 --duration 1", "error: give exactly one of --duration S and --requests N")]
    [InlineData("--url http://127.0.0.1:1/score", "error: give exactly one of --duration S and --requests N")]
    [InlineData("--url ftp://x/score --requests 1", "error: --url must be an absolute http or https URL, e.g. http://127.0.0.1:5000/score")]
    [InlineData("--url http://127.0.0.1:1/score --requests 1 --mode open", "error: --mode open needs --rate R, more than 0 and at most 1000000 requests per second")]
    [InlineData("--url http://127.0.0.1:1/score --requests 1 --rate 5", "error: --rate only applies to --mode open")]
    [InlineData("--url http://127.0.0.1:1/score --requests 1 --mode burst", "error: --mode must be closed or open, not 'burst'")]
    [InlineData("--url http://127.0.0.1:1/score --requests 0", "error: --requests must be at least 1")]
    [InlineData("--url http://127.0.0.1:1/score --duration -1", "error: --duration must be more than 0 and at most 86400 seconds")]
    [InlineData("--url http://127.0.0.1:1/score --requests 1 --concurrency 0", "error: --concurrency must be 1–10000")]
    [InlineData("--url http://127.0.0.1:1/score --requests 1 --warmup -1", "error: --warmup must be at least 0")]
    [InlineData("--url http://127.0.0.1:1/score --requests 1 --in-process --model m", "error: give either --url or --in-process, not both")]
    [InlineData("--in-process --requests 1", "error: --in-process needs --model DIR")]
    [InlineData("--in-process --model m --key k --requests 1", "error: --key and --deployment only apply to --url")]
    [InlineData("--url http://127.0.0.1:1/score --model m --requests 1", "error: --model only applies to --in-process")]
    [InlineData("--url http://127.0.0.1:1/score --batching off --requests 1", "error: --batching only applies to --in-process (a server's batching is its deployment's setting)")]
    [InlineData("--in-process --model m --batching sometimes --requests 1", "error: --batching must be on or off, not 'sometimes'")]
    public async Task Bench_BadOptions_ExitTwoWithAMessage(string options, string message)
    {
        string request = WriteFile("request.json", TwoTextRows);
        string[] args = ["bench", "--request-file", request, .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        var (code, _, error) = await CliRunner.RunAsync(args);
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_UnreadableRequestFile_ExitsTwo()
    {
        var (code, _, error) = await CliRunner.RunAsync("bench", "--url", "http://127.0.0.1:1/score", "--request-file", Path.Combine(_dir, "missing.json"), "--requests", "1");
        Assert.Equal(2, code);
        Assert.Contains("error: cannot read request file '", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_NoRequestFile_IsAParseErrorExitingTwo()
    {
        var (code, _, error) = await CliRunner.RunAsync("bench", "--url", "http://127.0.0.1:1/score", "--requests", "1");
        Assert.Equal(2, code);
        Assert.Contains("--request-file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void RowsOf_EnvelopeAndOtherBodies_CountsDataRowsOrZero()
    {
        Assert.Equal(2, Commands.BenchCommand.RowsOf(Encoding.UTF8.GetBytes(TwoTextRows)));
        Assert.Equal(0, Commands.BenchCommand.RowsOf(Encoding.UTF8.GetBytes("not json")));
        Assert.Equal(0, Commands.BenchCommand.RowsOf(Encoding.UTF8.GetBytes("""{"input_data": {"data": 3}}""")));
    }

    /// <summary>A writer that cancels a token the first time a line containing a marker is written.</summary>
    private sealed class CancelOnWrite(string pattern, CancellationTokenSource cts) : StringWriter
    {
        public override void Write(string? value)
        {
            base.Write(value);
            if (value is not null && System.Text.RegularExpressions.Regex.IsMatch(value, pattern))
            {
                cts.Cancel();
            }
        }

        public override void WriteLine(string? value)
        {
            Write(value);
            base.WriteLine();
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }

        public override Task WriteAsync(string? value)
        {
            Write(value);
            return Task.CompletedTask;
        }
    }
}
