using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Tally.Cli.App;
using Tally.Cli.Output;
using Tally.Core.Budgets;

namespace Tally.Cli.Commands;

/// <summary><c>tally budget set|list|rm</c>: budgets kept in <c>budgets.json</c> in the configuration folder.</summary>
internal sealed class BudgetCommand : Command
{
    /// <summary>Creates the verb and its subcommands.</summary>
    public BudgetCommand(TallyContext context)
        : base("budget", "Set, list and remove budgets: limits per day, month, session, project, agent or plan window, with alerts")
    {
        Subcommands.Add(new SetCommand(context));
        Subcommands.Add(new ListCommand(context));
        Subcommands.Add(new RemoveCommand(context));
        Subcommands.Add(new ResumeCommand(context));
    }

    private static TallyPaths Paths(TallyContext context, ParseResult result) =>
        TallyPaths.Resolve(result.GetValue(context.Global.DataDir), result.GetValue(context.Global.ConfigDir), context.Environment.Variable);

    /// <summary>Loads the file for a change; problems in it stop the change (writing would drop the budgets that have them).</summary>
    private static List<Budget>? LoadForChange(TallyEnvironment environment, string path)
    {
        var errors = new List<string>();
        var budgets = BudgetsFile.Load(path, errors);
        if (errors.Count == 0)
        {
            return [.. budgets];
        }

        foreach (var error in errors)
        {
            environment.Error.MarkupLineInterpolated($"[red]error:[/] {error}");
        }

        environment.Error.MarkupLineInterpolated($"[grey]Fix {path} first: changing it now would drop what cannot be read.[/]");
        return null;
    }

    /// <summary><c>tally budget set NAME …</c>.</summary>
    private sealed class SetCommand : Command
    {
        private readonly Argument<string> _name = new("name") { Description = "The budget's name (letters, digits, '.', '_', '-'); an existing budget of that name is replaced" };
        private readonly Option<string> _scope = new("--scope") { Description = "day, month, session, project, agent or plan", Required = true };
        private readonly Option<string?> _target = new("--target", "-t") { Description = "The session id, project (path, folder name or alias) or agent (working directory or its folder name); leave out to limit each one" };
        private readonly Option<string?> _period = new("--per") { Description = "The window: day or month (project, agent), five-hour or weekly (plan); default: day for agents, month for projects" };
        private readonly Option<string> _limit = new("--limit", "-l") { Description = "The limit, in --unit", Required = true };
        private readonly Option<string?> _unit = new("--unit") { Description = "usd (default), tokens, or percent (plan budgets)" };
        private readonly Option<string?> _thresholds = new("--thresholds") { Description = "Percentages of the limit that alert, comma-separated (default: 50,80,100)" };
        private readonly Option<string?> _action = new("--action") { Description = "At the limit: warn (default), pause or stop (recorded; the metering proxy enforces it)" };
        private readonly TallyContext _context;

        public SetCommand(TallyContext context)
            : base("set", "Add or replace a budget")
        {
            _context = context;
            Arguments.Add(_name);
            foreach (Option option in new Option[] { _scope, _target, _period, _limit, _unit, _thresholds, _action })
            {
                Options.Add(option);
            }

            SetAction(Run);
        }

        private int Run(ParseResult result)
        {
            var environment = _context.Environment;
            var errors = new List<string>();
            var budget = Read(result, errors);
            if (budget is not null)
            {
                errors.AddRange(BudgetRules.Problems(budget));
            }

            if (budget is null || errors.Count > 0)
            {
                foreach (var error in errors)
                {
                    environment.Error.MarkupLineInterpolated($"[red]error:[/] {error}");
                }

                return ExitCodes.Usage;
            }

            var path = Paths(_context, result).BudgetsFile;
            if (LoadForChange(environment, path) is not { } budgets)
            {
                return ExitCodes.Usage;
            }

            var at = budgets.FindIndex(b => string.Equals(b.Name, budget.Name, StringComparison.OrdinalIgnoreCase));
            if (at >= 0)
            {
                budgets[at] = budget;
            }
            else
            {
                budgets.Add(budget);
            }

            BudgetsFile.Save(path, budgets);
            environment.Console.MarkupLineInterpolated($"Budget {budget.Name} {(at >= 0 ? "replaced" : "set")}: {BudgetWriter.Describe(budget)}.");
            environment.Console.MarkupLineInterpolated($"[grey]Kept in {path}; checked on every sync.[/]");
            return ExitCodes.Ok;
        }

        private Budget? Read(ParseResult result, List<string> errors)
        {
            var scope = Word(result.GetValue(_scope), "--scope", BudgetText.Scope, "day, month, session, project, agent or plan", errors);
            var period = Word(result.GetValue(_period), "--per", BudgetText.Period, "day, month, five-hour or weekly", errors);
            var unit = Word(result.GetValue(_unit), "--unit", BudgetText.Unit, "usd, tokens or percent", errors);
            var action = Word(result.GetValue(_action), "--action", BudgetText.Action, "warn, pause or stop", errors);
            var limitText = result.GetValue(_limit)!;
            decimal? limit = decimal.TryParse(limitText.Trim().TrimStart('$'), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
            if (limit is null)
            {
                errors.Add($"--limit \"{limitText}\" is not a number.");
            }

            var thresholds = Thresholds(result.GetValue(_thresholds), errors);
            if (scope is null || limit is null || errors.Count > 0)
            {
                return null;
            }

            var target = result.GetValue(_target);
            if (target is not null && scope is BudgetScope.Project or BudgetScope.Agent)
            {
                target = TallyPaths.ExpandHome(target.Trim(), TallyPaths.Home(_context.Environment.Variable));
            }

            return new Budget
            {
                Name = result.GetValue(_name)!,
                Scope = scope.Value,
                Target = target,
                Period = period ?? BudgetRules.DefaultPeriod(scope.Value),
                Unit = unit ?? (scope == BudgetScope.Plan ? BudgetUnit.Percent : BudgetUnit.Usd),
                Limit = limit.Value,
                Thresholds = thresholds ?? Budget.DefaultThresholds,
                Action = action ?? BudgetAction.Warn,
            };
        }

        private static T? Word<T>(string? text, string flag, Func<string, T?> parse, string allowed, List<string> errors)
            where T : struct
        {
            if (text is null)
            {
                return null;
            }

            var value = parse(text);
            if (value is null)
            {
                errors.Add($"{flag} \"{text}\" is not one of {allowed}.");
            }

            return value;
        }

        private static List<decimal>? Thresholds(string? text, List<string> errors)
        {
            if (text is null)
            {
                return null;
            }

            var list = new List<decimal>();
            foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (decimal.TryParse(part.TrimEnd('%'), NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
                {
                    list.Add(value);
                }
                else
                {
                    errors.Add($"--thresholds: \"{part}\" is not a percentage.");
                }
            }

            list.Sort();
            return list;
        }
    }

    /// <summary><c>tally budget list</c>.</summary>
    private sealed class ListCommand : Command
    {
        private readonly Option<bool> _json = new("--json", "-j") { Description = "JSON on stdout (see docs/json-schemas.md)" };
        private readonly TallyContext _context;

        public ListCommand(TallyContext context)
            : base("list", "List the budgets and where each stands in its current window (after a sync, which also checks them)")
        {
            _context = context;
            Aliases.Add("ls");
            Options.Add(_json);
            SetAction(RunAsync);
        }

        private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
        {
            var environment = _context.Environment;
            await using var run = await TallyRun.OpenAsync(_context.Global.Read(result), environment, cancellationToken);
            var statuses = await run.BudgetStatusesAsync(cancellationToken);
            if (result.GetValue(_json))
            {
                BudgetWriter.WriteJson(run.Budgets.Budgets, statuses, run.Budgets.Settings.Zone, run.Paths.BudgetsFile, environment.Out);
            }
            else
            {
                BudgetWriter.WriteTable(run.Budgets.Budgets, statuses, run.Budgets.Settings.Zone, environment.Clock.GetUtcNow(), run.Paths.BudgetsFile, environment.Console);
            }

            return ExitCodes.Ok;
        }
    }

    /// <summary><c>tally budget rm NAME</c>.</summary>
    private sealed class RemoveCommand : Command
    {
        private readonly Argument<string> _name = new("name") { Description = "The budget to remove" };
        private readonly TallyContext _context;

        public RemoveCommand(TallyContext context)
            : base("rm", "Remove a budget (its alert history stays)")
        {
            _context = context;
            Aliases.Add("remove");
            Arguments.Add(_name);
            SetAction(Run);
        }

        private int Run(ParseResult result)
        {
            var environment = _context.Environment;
            var name = result.GetValue(_name)!;
            var path = Paths(_context, result).BudgetsFile;
            if (LoadForChange(environment, path) is not { } budgets)
            {
                return ExitCodes.Usage;
            }

            if (budgets.RemoveAll(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase)) == 0)
            {
                environment.Error.MarkupLineInterpolated($"[red]error:[/] there is no budget named \"{name}\"; `tally budget list` shows them.");
                return ExitCodes.Usage;
            }

            BudgetsFile.Save(path, budgets);
            environment.Console.MarkupLineInterpolated($"Budget {name} removed; its alerts stay in the history (`tally alerts`).");
            return ExitCodes.Ok;
        }
    }

    /// <summary><c>tally budget resume NAME [--subject S]</c>: lets a paused agent through until the window resets.</summary>
    private sealed class ResumeCommand : Command
    {
        private readonly Argument<string> _name = new("name") { Description = "The paused budget" };
        private readonly Option<string?> _subject = new("--subject") { Description = "The session id, project or agent to resume (default: every one over the limit)" };
        private readonly TallyContext _context;

        public ResumeCommand(TallyContext context)
            : base("resume", "Resume a paused budget: the metering proxy forwards the held agent's requests until the budget's window resets")
        {
            _context = context;
            Arguments.Add(_name);
            Options.Add(_subject);
            SetAction(RunAsync);
        }

        private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
        {
            var environment = _context.Environment;
            var name = result.GetValue(_name)!;
            await using var run = await TallyRun.OpenAsync(_context.Global.Read(result), environment, cancellationToken);
            var runtime = run.Budgets;
            var resumed = await BudgetResume.ResumeAsync(run.Store, runtime.Evaluator, runtime.Budgets, name, result.GetValue(_subject), environment.Clock.GetUtcNow(), cancellationToken);
            if (resumed is null)
            {
                environment.Error.MarkupLineInterpolated($"[red]error:[/] there is no budget named \"{name}\"; `tally budget list` shows them.");
                return ExitCodes.Usage;
            }

            if (resumed.Count == 0)
            {
                environment.Console.MarkupLineInterpolated($"Budget {name} is not over its limit{(result.GetValue(_subject) is { } s ? $" for {s}" : string.Empty)}: nothing to resume.");
                return ExitCodes.Ok;
            }

            foreach (var status in resumed)
            {
                var until = status.Window.End is { } end ? $"until {end.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)} UTC" : "for good (its window never resets)";
                environment.Console.MarkupLineInterpolated($"Budget {name} resumed{((status.SubjectLabel ?? status.Subject) is { } subject ? $" for {subject}" : string.Empty)} {until}.");
            }

            return ExitCodes.Ok;
        }
    }
}
