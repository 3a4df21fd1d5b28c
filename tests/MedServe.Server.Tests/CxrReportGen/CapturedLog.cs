using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MedServe.Server.Tests.CxrReportGen;

/// <summary>A logger provider that keeps every record: level, event id, message and structured fields.</summary>
public sealed class CapturedLog : ILoggerProvider
{
    public ConcurrentQueue<Record> Records { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    public sealed record Record(LogLevel Level, int EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> Fields);

    private sealed class Logger(CapturedLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            log.Records.Enqueue(new Record(logLevel, eventId.Id, formatter(state, exception), [.. fields]));
        }
    }
}
