using Spectre.Console;
using Tally.Cli.App;

namespace Tally.Cli.Commands;

/// <summary>What to tell a user when there is nothing to report: where Tally looked, and how to try the demo.</summary>
internal static class NoDataMessage
{
    /// <summary>Writes the message on standard error.</summary>
    public static void Write(TallyRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var error = run.Environment.Error;
        error.MarkupLine("[yellow]No Claude Code data found.[/] Tally looked in:");
        foreach (var searched in run.Discovery.Searched)
        {
            error.MarkupLineInterpolated($"  {searched.Path} [grey]({(searched.Exists ? $"{searched.Files} transcripts" : "does not exist")})[/]");
        }

        error.MarkupLine("Point it at your data with [bold]--claude-dir DIR[/] or [bold]CLAUDE_CONFIG_DIR[/] (a folder holding projects/),");
        error.MarkupLine("or try the built-in demo: [bold]tally daily --demo[/]");
    }
}
