using System.Net;
using System.Text;
using System.Text.Json;
using MedServe.Models.Scoring;
using MedServe.Server.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace MedServe.Server.Tests;

/// <summary>An unexpected model failure becomes a 500 with the hosted failure header; the server keeps serving.</summary>
public sealed class ServerFailureTests
{
    private sealed class ThrowingModel : IScoringModel
    {
        public int Calls { get; private set; }

        public ModelDescriptor Descriptor { get; } = new()
        {
            Name = "broken",
            Task = "medimageinsight",
            Version = "1",
            Columns = [new ColumnDescriptor("text", false, "text")],
            MaxRows = 4,
            ResponseRowSchemaJson = "{\"type\": \"object\"}",
        };

        public Task<ScoringResult> ScoreAsync(ScoringFrame frame, CancellationToken cancellationToken)
        {
            Calls++;
            throw new InvalidOperationException("simulated failure with secret patient text");
        }

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task Score_ModelThrows_Returns500WithFailureHeaderAndKeepsServing()
    {
        var model = new ThrowingModel();
        var logs = new CapturingLoggerProvider();
        var options = new ServerOptions { PrimaryKey = ServerFixture.PrimaryKey, SecondaryKey = ServerFixture.SecondaryKey };
        await using var app = MedServeApplication.Build(options, new EndpointRegistry([new ServedEndpoint("broken", "blue", model)]), b =>
        {
            b.WebHost.UseTestServer();
            b.Logging.ClearProviders();
            b.Logging.AddProvider(logs);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ServerFixture.PrimaryKey);
        // The deployment's warm-up inference is the model's first call (it throws too, so the deployment never reports ready).
        await MedServeApplication.Registry(app).WhenSettledAsync();
        Assert.Equal(1, model.Calls);

        for (int attempt = 1; attempt <= 2; attempt++)
        {
            var response = await client.PostAsync("/score", new StringContent("""{"input_data": {"columns": ["text"], "data": [["a"]]}}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("True", ScoringContractTests.Single(response, "x-ms-run-function-failed"));
            Assert.Equal("blue", ScoringContractTests.Single(response, "azureml-model-deployment"));
            string requestId = ScoringContractTests.Single(response, "x-request-id");
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            string message = body.RootElement.GetProperty("message").GetString()!;
            Assert.Equal($"the server failed to score the request (request id {requestId}); see the server log", message);
            Assert.DoesNotContain("secret", message, StringComparison.Ordinal);
            Assert.Equal(attempt + 1, model.Calls);
        }

        var health = await client.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        string logged = logs.Text;
        Assert.Contains("Scoring failed unexpectedly", logged, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", logged, StringComparison.Ordinal);
        Assert.DoesNotContain(ServerFixture.PrimaryKey, logged, StringComparison.Ordinal);
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

        public string Text => string.Join("\n", _lines);

        public ILogger CreateLogger(string categoryName) => new Logger(_lines);

        public void Dispose()
        {
        }

        private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception) + (exception is null ? "" : " " + exception));
        }
    }
}
