using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ReflexiveIdentity.Adapters.Tests.Auth0;

/// <summary>Keeps every log entry (message and structured values) so tests can assert on what was logged.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> entries = new();

    private RecordingLoggerProvider()
    {
    }

    /// <summary>A provider to hand to a container, which disposes it with its logger factory.</summary>
    public static RecordingLoggerProvider Create() => new();

    public IReadOnlyList<LogEntry> Entries => [.. entries];

    public IReadOnlyList<LogEntry> WithEvent(int eventId) => [.. entries.Where(e => e.EventId == eventId)];

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, entries);

    public void Dispose()
    {
    }

    private sealed class Recorder(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            entries.Enqueue(new LogEntry(category, eventId.Id, logLevel, formatter(state, exception), values.ToDictionary(v => v.Key, v => v.Value), exception));
        }
    }
}

internal sealed record LogEntry(string Category, int EventId, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Values, Exception? Exception);
