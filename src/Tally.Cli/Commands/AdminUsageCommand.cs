using System.CommandLine;
using Tally.Cli.App;
using Tally.Cli.Output;
using Tally.Core.Billing;
using Tally.Core.Usage;

namespace Tally.Cli.Commands;

/// <summary><c>tally admin usage</c>: tokens from the Admin API's usage report, by day, model, workspace, API key or segment.</summary>
internal sealed class AdminUsageCommand : Command
{
    private static readonly string[] Dimensions = ["day", "model", "workspace", "api-key", "segment"];
    private readonly AdminViewOptions _view = new();
    private readonly Option<string?> _by = new("--by") { Description = "Rows by day (default), model, workspace, api-key or segment" };
    private readonly TallyContext _context;

    /// <summary>Creates the verb.</summary>
    public AdminUsageCommand(TallyContext context)
        : base("usage", "Tokens from the Admin API's usage report, segmented into API, Claude Code and Console (Workbench) use")
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
        var rows = await store.BilledUsageAsync(Midnight(from), Midnight(until), cancellationToken);
        var lines = rows
            .GroupBy(r => (Key: Key(r, by, names), Segment: Segments.Name(names.Segments.Of(r))))
            .OrderBy(static g => g.Key.Key, StringComparer.Ordinal).ThenBy(static g => g.Key.Segment, StringComparer.Ordinal)
            .Select(g => Line(g.Key.Key, g.Key.Segment, g))
            .ToList();
        var notes = new List<string>();
        if (rows.Count == 0)
        {
            notes.Add($"No billed usage is stored for {from:yyyy-MM-dd} – {until.AddDays(-1):yyyy-MM-dd}; `tally admin sync` fetches it.");
        }

        var table = new BilledTable
        {
            Title = $"Billed usage (Admin API) · by {by} · {from:yyyy-MM-dd} – {until.AddDays(-1):yyyy-MM-dd} UTC",
            RowsName = "usage",
            Header = [("by", by), ("since", $"{from:yyyy-MM-dd}"), ("until", $"{until.AddDays(-1):yyyy-MM-dd}")],
            Columns =
            [
                new(by == "api-key" ? "API key" : char.ToUpperInvariant(by[0]) + by[1..], "key", BilledColumnKind.Text),
                new("Segment", "segment", BilledColumnKind.Text),
                new("Input", "inputTokens", BilledColumnKind.Count),
                new("Cache Write 5m", "cacheWrite5mTokens", BilledColumnKind.Count),
                new("Cache Write 1h", "cacheWrite1hTokens", BilledColumnKind.Count),
                new("Cache Read", "cacheReadTokens", BilledColumnKind.Count),
                new("Output", "outputTokens", BilledColumnKind.Count),
                new("Total Tokens", "totalTokens", BilledColumnKind.Count),
                new("Web Searches", "webSearchRequests", BilledColumnKind.Count),
            ],
            Rows = lines,
            Totals = Line("Total", null, rows),
            Notes = notes,
        };
        _view.Print(table, result, environment);
        return ExitCodes.Ok;
    }

    private static object?[] Line(string key, string? segment, IEnumerable<BilledUsageRow> rows)
    {
        var tokens = default(TokenCounts);
        long web = 0;
        foreach (var row in rows)
        {
            tokens += row.Tokens;
            web += row.WebSearchRequests;
        }

        return [key, segment, tokens.Input, tokens.CacheWrite5m, tokens.CacheWrite1h, tokens.CacheRead, tokens.Output, tokens.Total, web];
    }

    private static string Key(BilledUsageRow row, string by, AdminNames names) => by switch
    {
        "model" => row.Model ?? "(no model)",
        "workspace" => names.Workspace(row.WorkspaceId),
        "api-key" => names.ApiKey(row.ApiKeyId),
        "segment" => Segments.Name(names.Segments.Of(row)),
        _ => row.Bucket.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
