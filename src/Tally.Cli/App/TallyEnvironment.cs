using System.Text;
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
            Out = RawOutput(global::System.Console.Out, global::System.Console.OutputEncoding, global::System.Console.OpenStandardOutput),
            Console = stdout,
            ErrorWriter = global::System.Console.Error,
            Error = stderr,
            Variable = Environment.GetEnvironmentVariable,
            OutputIsInteractive = !global::System.Console.IsOutputRedirected && stdout.Profile.Capabilities.Interactive,
            ErrorIsInteractive = !global::System.Console.IsErrorRedirected && stderr.Profile.Capabilities.Interactive,
        };
    }

    /// <summary>
    /// Standard output for JSON and CSV. The console's own writer hands its stream 256 characters at a time, a write
    /// call each (10,000 of them for a session report's 2.5 MB); this one hands it up to 16 KB at a time, and is flushed
    /// at every write as the console's is, so what it prints stays in order with what the console prints. A console
    /// whose encoding is not UTF-8 (a legacy charset in LANG) keeps its own writer and encoder.
    /// </summary>
    /// <param name="console">The console's writer.</param>
    /// <param name="encoding">The console's encoding.</param>
    /// <param name="open">Opens standard output's stream (only called for a UTF-8 console).</param>
    internal static TextWriter RawOutput(TextWriter console, Encoding encoding, Func<Stream> open) =>
        encoding.CodePage == Encoding.UTF8.CodePage
            ? TextWriter.Synchronized(new StreamWriter(open(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), RawOutputBufferChars, leaveOpen: true) { AutoFlush = true })
            : console;

    /// <summary>The raw output's buffer, in characters (its byte buffer stays below the large-object heap's threshold).</summary>
    internal const int RawOutputBufferChars = 16 * 1024;
}
