using System.CommandLine;
using Tally.Cli.App;
using Tally.Cli.Output;
using Tally.Core.Billing;

namespace Tally.Cli.Commands;

/// <summary><c>tally admin costs</c>: billed dollars by day, workspace, model, description or token type, per segment.</summary>
internal sealed class AdminCostsCommand : Command
{
    private static readonly string[] Dimensions = ["day", "workspace", "model", "description", "token-type", "segment"];
    private readonly AdminViewOptions _view = new();
    private readonly Option<string?> _by = new("--by") { Description = "Rows by day (default), workspace, model, description, token-type or segment" };
    private readonly TallyContext _context;

    /// <summary>Creates the verb.</summary>
    public AdminCostsCommand(TallyContext context)
        : base("costs", "Billed dollars from the Admin API's cost report, segmented into API, Claude Code and Console use")
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

        var store = (IBilledStore)run.Store;
        var names = await AdminNames.LoadAsync(store, run.Config.Admin, cancellationToken);
        var rows = await store.BilledCostsAsync(from, until, cancellationToken);
        var lines = rows
            .GroupBy(r => (Key: Key(r, by, names), Segment: Segments.Name(names.Segments.Of(r))))
            .OrderBy(static g => g.Key.Key, StringComparer.Ordinal).ThenBy(static g => g.Key.Segment, StringComparer.Ordinal)
            .Select(g => new object?[] { g.Key.Key, g.Key.Segment, g.Sum(static r => r.AmountUsd) })
            .ToList();
        var notes = new List<string>();
        if (rows.Count == 0)
        {
            notes.Add($"No billed costs are stored for {from:yyyy-MM-dd} – {until.AddDays(-1):yyyy-MM-dd}; `tally admin sync` fetches them.");
        }
        else
        {
            notes.Add("The cost report has no API-key dimension: Console (Workbench) spend is counted in \"api\"; `tally admin usage --by segment` shows Console tokens apart.");
            if (names.Segments.ClaudeCodeWorkspaces.Count == 0)
            {
                notes.Add("No \"Claude Code\" workspace is known, so no spend is counted as Claude Code (admin.claudeCodeWorkspaces in config.json names others).");
            }
        }

        var table = new BilledTable
        {
            Title = $"Billed costs (Admin API) · by {by} · {from:yyyy-MM-dd} – {until.AddDays(-1):yyyy-MM-dd} UTC",
            RowsName = "costs",
            Header = [("by", by), ("since", $"{from:yyyy-MM-dd}"), ("until", $"{until.AddDays(-1):yyyy-MM-dd}")],
            Columns = [new(Heading(by), "key", BilledColumnKind.Text), new("Segment", "segment", BilledColumnKind.Text), new("Cost (USD)", "costUsd", BilledColumnKind.Money)],
            Rows = lines,
            Totals = ["Total", null, rows.Sum(static r => r.AmountUsd)],
            Notes = notes,
        };
        _view.Print(table, result, environment);
        return ExitCodes.Ok;
    }

    private static string Key(BilledCostRow row, string by, AdminNames names) => by switch
    {
        "workspace" => names.Workspace(row.WorkspaceId),
        "model" => row.Model ?? (row.CostType is { } type ? $"({type})" : "(no model)"),
        "description" => row.Description ?? "(none)",
        "token-type" => row.TokenType ?? (row.CostType is { } type ? $"({type})" : "(none)"),
        "segment" => Segments.Name(names.Segments.Of(row)),
        _ => row.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Heading(string by) => by switch
    {
        "token-type" => "Token type",
        _ => char.ToUpperInvariant(by[0]) + by[1..],
    };
}
