using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Billing.Outbound.Tests.Infrastructure;

/// <summary>Keeps every log line (level, category, formatted message, exception text) a host writes.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Text)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Text)> Lines => _lines.ToList();

    public string AllText => string.Join('\n', _lines.Select(line => $"{line.Level} {line.Category}: {line.Text}"));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = formatter(state, exception);
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                text += " | " + string.Join("; ", values.Select(pair => $"{pair.Key}={pair.Value}"));
            }

            if (exception is not null)
            {
                text += " | " + exception;
            }

            logs._lines.Enqueue((logLevel, category, text));
        }
    }
}
