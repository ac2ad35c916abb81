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
        root.Subcommands.Add(new BlocksCommand(context));
        root.Subcommands.Add(new LimitsCommand(context));
        root.Subcommands.Add(new LiveCommand(context));
        root.Subcommands.Add(new StatusLineCommand(context));
        root.Subcommands.Add(new ProjectsCommand(context));
        root.Subcommands.Add(new ModelsCommand(context));
        root.Subcommands.Add(new PricesCommand(context));
        root.Subcommands.Add(new ProblemsCommand(context));
        root.Subcommands.Add(new SyncCommand(context));
        root.Subcommands.Add(new AgentsCommand(context));
        root.Subcommands.Add(new ExportCommand(context));
        root.Subcommands.Add(new BudgetCommand(context));
        root.Subcommands.Add(new AlertsCommand(context));
        root.Subcommands.Add(new ServeCommand(context));
        root.Subcommands.Add(new ProxyCommand(context));
        root.Subcommands.Add(new AdminCommand(context));
        root.Subcommands.Add(new ReconcileCommand(context));
        return root;
    }

    /// <summary>Parses <paramref name="args"/> and runs the verb (<c>daily</c> when none is named).</summary>
    public static async Task<int> RunAsync(string[] args, TallyEnvironment environment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var root = Build(environment);
        var parse = root.Parse(args);
        if (args.Length == 0 || (parse.CommandResult.Command == root && !RootWords.Contains(args[0])))
        {
            // No verb (`tally`, `tally --json`, `tally --demo`): the default report. A global flag may come before a
            // verb (`tally --demo weekly`), so only a parse that found none gets `daily`.
            parse = root.Parse(["daily", .. args]);
        }

        if (parse.Errors.Count > 0)
        {
            // A command line the parser rejects is a usage error (exit code 2), said on stderr only: no help on stdout.
            foreach (var error in parse.Errors)
            {
                environment.Error.MarkupLineInterpolated($"[red]error:[/] {error.Message}");
            }

            environment.Error.MarkupLineInterpolated($"`{CommandPath(parse, root)} --help` lists the commands and flags.");
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration { Output = environment.Out, Error = environment.ErrorWriter, EnableDefaultExceptionHandler = false };
        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
        catch (Tally.Storage.Sqlite.IndexTooNewException ex)
        {
            environment.Error.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.Failed;
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

    private static string CommandPath(ParseResult parse, RootCommand root)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Command != root; result = (System.CommandLine.Parsing.CommandResult)result.Parent!)
        {
            names.Insert(0, result.Command.Name);
        }

        return string.Join(' ', names.Prepend("tally"));
    }
}
