using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Tally.Cli.App;

/// <summary>
/// The server's log, one line per event on standard error through the run's console (so NO_COLOR and tests' consoles
/// apply): Tally's own information and everyone's warnings and errors, with the local time.
/// </summary>
/// <param name="console">Where lines go.</param>
/// <param name="clock">The time lines are stamped with.</param>
internal sealed class ConsoleLog(IAnsiConsole console, TimeProvider clock) : ILoggerProvider
{
    private readonly Lock _lock = new();

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private void Write(LogLevel level, string message, Exception? exception)
    {
        var colour = level >= LogLevel.Error ? "red" : level == LogLevel.Warning ? "yellow" : "grey";
        var time = clock.GetLocalNow().ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        lock (_lock)
        {
            console.MarkupLineInterpolated($"[{colour}]{time} {message}[/]");
            if (exception is not null)
            {
                console.MarkupLineInterpolated($"[grey]{exception}[/]");
            }
        }
    }

    private sealed class Logger(ConsoleLog owner, string category) : ILogger
    {
        private readonly LogLevel _minimum = category.StartsWith("Tally", StringComparison.Ordinal) ? LogLevel.Information : LogLevel.Warning;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= _minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Write(logLevel, formatter(state, exception), exception);
            }
        }
    }
}
