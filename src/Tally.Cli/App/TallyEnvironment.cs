using Spectre.Console;

namespace Tally.Cli.App;

/// <summary>
/// Everything the outside world gives a run: its output streams, its environment variables, its clock and its
/// time zone. <see cref="System"/> is the real one; tests build their own.
/// </summary>
internal sealed record TallyEnvironment
{
    /// <summary>Standard input (the status line's JSON).</summary>
    public TextReader In { get; init; } = TextReader.Null;

    /// <summary>Raw standard output, for JSON and CSV (never wrapped or coloured).</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Standard output for people: tables and messages.</summary>
    public required IAnsiConsole Console { get; init; }

    /// <summary>Raw standard error, for the command-line parser's own messages.</summary>
    public required TextWriter ErrorWriter { get; init; }

    /// <summary>Standard error: warnings, progress, errors.</summary>
    public required IAnsiConsole Error { get; init; }

    /// <summary>Reads an environment variable (null when unset).</summary>
    public required Func<string, string?> Variable { get; init; }

    /// <summary>The clock.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The wall clock the file system stamps directories with, which tells whether a kept directory listing can
    /// be trusted (see Core's <c>DirectoryListing.IsSettled</c>): always the system's, except in tests that need the
    /// directories they just wrote to count as settled.</summary>
    public TimeProvider FileClock { get; init; } = TimeProvider.System;

    /// <summary>The time zone reports use when neither a flag nor the configuration names one.</summary>
    public TimeZoneInfo LocalZone { get; init; } = TimeZoneInfo.Local;

    /// <summary>True when standard error is a terminal a progress bar can be drawn on.</summary>
    public bool ErrorIsInteractive { get; init; }

    /// <summary>True when standard output is a terminal a full-screen view can be drawn on.</summary>
    public bool OutputIsInteractive { get; init; }

    /// <summary>The process's own environment and consoles.</summary>
    public static TallyEnvironment System()
    {
        var stdout = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(global::System.Console.Out) });
        var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(global::System.Console.Error) });
        if (global::System.Console.IsOutputRedirected)
        {
            // A pipe or a file has no width: never wrap a report to 80 columns.
            stdout.Profile.Width = 240;
        }

        if (global::System.Console.IsErrorRedirected)
        {
            stderr.Profile.Width = 240;
        }

        return new TallyEnvironment
        {
            In = global::System.Console.IsInputRedirected ? global::System.Console.In : TextReader.Null, // a terminal: nothing to wait for
            Out = global::System.Console.Out,
            Console = stdout,
            ErrorWriter = global::System.Console.Error,
            Error = stderr,
            Variable = Environment.GetEnvironmentVariable,
            OutputIsInteractive = !global::System.Console.IsOutputRedirected && stdout.Profile.Capabilities.Interactive,
            ErrorIsInteractive = !global::System.Console.IsErrorRedirected && stderr.Profile.Capabilities.Interactive,
        };
    }
}
