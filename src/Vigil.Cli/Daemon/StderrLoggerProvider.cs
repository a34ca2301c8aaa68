using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Vigil.Cli.Daemon;

/// <summary>
/// The daemon's log: one line per event on stderr, <c>2026-11-22T03:10:00.123Z info  message</c>,
/// which journald and a terminal both read well. Exceptions are reduced to type and message.
/// </summary>
internal sealed class StderrLoggerProvider(TextWriter writer, TimeProvider time, LogLevel minimum) : ILoggerProvider
{
    private readonly Lock _lock = new();

    private LogLevel Minimum => minimum;

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private void Write(LogLevel level, string message, Exception? exception)
    {
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{time.GetUtcNow():yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {Label(level)} {message}{(exception is null ? string.Empty : $" ({exception.GetType().Name}: {exception.Message})")}");
        lock (_lock)
        {
            writer.WriteLine(line.ReplaceLineEndings(" "));
            writer.Flush();
        }
    }

    private static string Label(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info ",
        LogLevel.Warning => "warn ",
        LogLevel.Error => "error",
        _ => "crit ",
    };

    private sealed class Logger(StderrLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider.Minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(logLevel, formatter(state, exception), exception);
            }
        }    }
}
