using System.CommandLine;
using Tally.Cli.App;
using Tally.Cli.Output;
using Tally.Core.Billing;

namespace Tally.Cli.Commands;

/// <summary><c>tally admin claude-code</c>: the Admin API's Claude Code analytics per user (or per day).</summary>
internal sealed class AdminClaudeCodeCommand : Command
{
    private static readonly string[] Dimensions = ["user", "day"];
    private readonly AdminViewOptions _view = new();
    private readonly Option<string?> _by = new("--by") { Description = "Rows by user (default) or day" };
    private readonly TallyContext _context;

    /// <summary>Creates the verb.</summary>
    public AdminClaudeCodeCommand(TallyContext context)
        : base("claude-code", "Claude Code analytics per user from the Admin API: sessions, lines, commits, pull requests, tool accept rate, estimated cost")
    {
        _context = context;
        _view.AddTo(this);
        Options.Add(_by);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var environment = _context.Environment;
        await using var run = await TallyRun.OpenAsync(_context.Global.Read(result) with { NoSync = true }, environment, cancellationToken);
        var errors = new List<string>();
        var (from, until) = _view.Window(result, environment.Clock, errors);
        var by = AdminViewOptions.By(result.GetValue(_by), Dimensions, errors);
        if (errors.Count > 0)
        {
            return AdminViewOptions.Usage(environment, errors);
        }

        var rows = await ((IBilledStore)run.Store).ClaudeCodeDaysAsync(from, until, cancellationToken);
        var lines = rows
            .GroupBy(r => by == "day" ? r.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : r.Actor, StringComparer.Ordinal)
            .OrderBy(static g => g.Key, StringComparer.Ordinal)
            .Select(g => Line(g.Key, g))
            .ToList();
        var notes = new List<string>();
        if (rows.Count == 0)
        {
            notes.Add($"No Claude Code analytics are stored for {from:yyyy-MM-dd} – {until.AddDays(-1):yyyy-MM-dd}; `tally admin sync` fetches them.");
        }
        else
        {
            notes.Add("Estimated cost is the report's own estimate, not what was billed (`tally admin costs` shows billed dollars).");
        }

        var table = new BilledTable
        {
            Title = $"Claude Code (Admin API) · by {by} · {from:yyyy-MM-dd} – {until.AddDays(-1):yyyy-MM-dd} UTC",
            RowsName = "claudeCode",
            Header = [("by", by), ("since", $"{from:yyyy-MM-dd}"), ("until", $"{until.AddDays(-1):yyyy-MM-dd}")],
            Columns =
            [
                new(by == "day" ? "Day" : "User", "key", BilledColumnKind.Text),
                new("Sessions", "sessions", BilledColumnKind.Count),
                new("Lines +", "linesAdded", BilledColumnKind.Count),
                new("Lines -", "linesRemoved", BilledColumnKind.Count),
                new("Commits", "commits", BilledColumnKind.Count),
                new("PRs", "pullRequests", BilledColumnKind.Count),
                new("Tools Accepted", "toolsAccepted", BilledColumnKind.Count),
                new("Tools Rejected", "toolsRejected", BilledColumnKind.Count),
                new("Accept Rate", "toolAcceptRate", BilledColumnKind.Ratio),
                new("Tokens", "tokens", BilledColumnKind.Count),
                new("Est. Cost (USD)", "estimatedCostUsd", BilledColumnKind.Money),
            ],
            Rows = lines,
            Totals = Line("Total", rows),
            Notes = notes,
        };
        _view.Print(table, result, environment);
        return ExitCodes.Ok;
    }

    private static object?[] Line(string key, IEnumerable<ClaudeCodeDay> days)
    {
        var list = days.ToList();
        var accepted = list.Sum(static d => d.ToolsAccepted);
        var rejected = list.Sum(static d => d.ToolsRejected);
        decimal? rate = accepted + rejected == 0 ? null : Math.Round((decimal)accepted / (accepted + rejected), 4);
        return
        [
            key, list.Sum(static d => d.Sessions), list.Sum(static d => d.LinesAdded), list.Sum(static d => d.LinesRemoved),
            list.Sum(static d => d.Commits), list.Sum(static d => d.PullRequests), accepted, rejected, rate,
            list.Sum(static d => d.Tokens), list.Sum(static d => d.EstimatedCostUsd),
        ];
    }
}
