using System.CommandLine;
using Microsoft.Data.Sqlite;
using Spectre.Console;
using Tally.Cli.Commands;

namespace Tally.Cli.App;

/// <summary>The <c>tally</c> command line: one line per verb, then parse and run.</summary>
internal static class TallyApp
{
    private static readonly HashSet<string> RootWords = new(StringComparer.Ordinal) { "-h", "--help", "-?", "--version" };

    /// <summary>Builds the command tree.</summary>
    public static RootCommand Build(TallyEnvironment environment)
    {
        var global = new GlobalOptions();
        var context = new TallyContext(environment, global);
        var root = new RootCommand("Tally: exact usage and cost tracking for Claude Code and the Anthropic API. With no command, runs `daily`.");
        global.AddTo(root);
        root.Subcommands.Add(new DailyCommand(context));
        root.Subcommands.Add(new WeeklyCommand(context));
        root.Subcommands.Add(new MonthlyCommand(context));
        root.Subcommands.Add(new SessionCommand(context));
        root.Subcommands.Add(new ProjectsCommand(context));
        root.Subcommands.Add(new ModelsCommand(context));
        root.Subcommands.Add(new PricesCommand(context));
        root.Subcommands.Add(new ProblemsCommand(context));
        root.Subcommands.Add(new SyncCommand(context));
        return root;
    }

    /// <summary>Parses <paramref name="args"/> and runs the verb (<c>daily</c> when none is named).</summary>
    public static async Task<int> RunAsync(string[] args, TallyEnvironment environment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var root = Build(environment);
        if (args.Length == 0 || (args[0].StartsWith('-') && !RootWords.Contains(args[0])))
        {
            args = ["daily", .. args];
        }

        var configuration = new InvocationConfiguration { Output = environment.Out, Error = environment.ErrorWriter, EnableDefaultExceptionHandler = false };
        try
        {
            return await root.Parse(args).InvokeAsync(configuration, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            environment.Error.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            if (ex is SqliteException)
            {
                environment.Error.MarkupLine("[grey]The index could not be used. Another program may hold it, or the disk is full; `--data-dir` points Tally at another one.[/]");
            }

            return ExitCodes.Failed;
        }
    }
}
