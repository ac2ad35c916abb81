using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Tally.Admin;
using Tally.Cli.App;
using Tally.Cli.Output;
using Tally.Core.Billing;
using Tally.Core.Storage;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally reconcile</c>: per UTC day and model, what this machine's records say against the Admin API's tokens and
/// billed dollars, each gap with its likely cause; exit code 4 when a gap exceeds the tolerance.
/// </summary>
internal sealed class ReconcileCommand : Command
{
    private const string OtherCharges = "(charges without a model)";
    private readonly Option<string?> _since = new("--since", "-s") { Description = "First UTC day: YYYYMMDD or YYYY-MM-DD (default: 7 days before --until)" };
    private readonly Option<string?> _until = new("--until", "-u") { Description = "Last UTC day (default: yesterday, UTC: today's bill is still filling)" };
    private readonly Option<decimal?> _tolerance = new("--tolerance", "-t") { Description = "The largest gap accepted, in percent of the larger figure (default 1; a dollar gap under $0.01 is always accepted)" };
    private readonly Option<bool> _json = new("--json", "-j") { Description = "JSON on stdout (see docs/json-schemas.md)" };
    private readonly Option<bool> _csv = new("--csv") { Description = "CSV on stdout" };
    private readonly TallyContext _context;

    /// <summary>Creates the verb.</summary>
    public ReconcileCommand(TallyContext context)
        : base("reconcile", "Compare local records with the Admin API's tokens and billed dollars per day and model; exit 4 when a gap exceeds --tolerance")
    {
        _context = context;
        foreach (Option option in new Option[] { _since, _until, _tolerance, _json, _csv })
        {
            Options.Add(option);
        }

        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var environment = _context.Environment;
        await using var run = await TallyRun.OpenAsync(_context.Global.Read(result), environment, cancellationToken);
        var errors = new List<string>();
        var today = DateOnly.FromDateTime(environment.Clock.GetUtcNow().UtcDateTime);
        var last = AdminViewOptions.Day(result.GetValue(_until), "--until", errors) ?? today.AddDays(-1);
        var first = AdminViewOptions.Day(result.GetValue(_since), "--since", errors) ?? last.AddDays(-6);
        var tolerance = result.GetValue(_tolerance) ?? 1m;
        if (first > last)
        {
            errors.Add($"--since {first:yyyy-MM-dd} is after --until {last:yyyy-MM-dd}.");
        }

        if (tolerance is < 0m or > 100m)
        {
            errors.Add($"--tolerance {tolerance.ToString(CultureInfo.InvariantCulture)} must be a percentage between 0 and 100.");
        }

        if (result.GetValue(_json) && result.GetValue(_csv))
        {
            errors.Add("--json and --csv cannot be used together.");
        }

        if (errors.Count > 0)
        {
            return AdminViewOptions.Usage(environment, errors);
        }

        var from = Midnight(first);
        var until = Midnight(last.AddDays(1));
        var store = (IBilledStore)run.Store;
        var names = await AdminNames.LoadAsync(store, run.Config.Admin, cancellationToken);
        var local = await run.Store.AggregateAsync(new UsageQuery { From = from, Until = until, GroupBy = GroupBy.QuarterHour | GroupBy.Model, CostMode = run.Config.CostMode ?? CostMode.Auto }, cancellationToken);
        var usage = await store.BilledUsageAsync(from, until, cancellationToken);
        var costs = await store.BilledCostsAsync(first, last.AddDays(1), cancellationToken);
        var usageComplete = await store.BilledCompleteUntilAsync(AdminSync.UsageReport, cancellationToken);
        var costComplete = await store.BilledCompleteUntilAsync(AdminSync.CostReport, cancellationToken);

        var lines = new Dictionary<(DateOnly Day, string Model), Line>();
        Line At(DateOnly day, string model) => lines.TryGetValue((day, model), out var line) ? line : lines[(day, model)] = new Line();
        foreach (var row in local)
        {
            var line = At(DateOnly.FromDateTime(row.Bucket!.Value.UtcDateTime), row.Model ?? "(unknown)");
            line.LocalTokens += row.Tokens.Total;
            line.LocalCost += row.CostUsd;
        }

        foreach (var row in usage)
        {
            var line = At(DateOnly.FromDateTime(row.Bucket.UtcDateTime), row.Model ?? "(unknown)");
            line.AdminTokens += row.Tokens.Total;
            switch (names.Segments.Of(row))
            {
                case BilledSegment.Console:
                    line.ConsoleTokens += row.Tokens.Total;
                    break;
                case BilledSegment.ClaudeCode:
                    line.ClaudeCodeTokens += row.Tokens.Total;
                    break;
            }
        }

        foreach (var row in costs)
        {
            At(row.Day, row.Model ?? OtherCharges).Billed += row.AmountUsd;
        }

        var rows = new List<object?[]>();
        var gaps = 0;
        foreach (var ((day, model), line) in lines.OrderBy(static l => l.Key.Day).ThenBy(static l => l.Key.Model, StringComparer.Ordinal))
        {
            var dayEnd = Midnight(day.AddDays(1));
            var (cause, counts) = Cause(model, line, tolerance, usageComplete is null || usageComplete < dayEnd, costComplete is null || costComplete < dayEnd, usageComplete);
            gaps += counts ? 1 : 0;
            rows.Add(
            [
                day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), model, line.LocalTokens, line.AdminTokens, line.AdminTokens - line.LocalTokens,
                line.ConsoleTokens, line.ClaudeCodeTokens, line.LocalCost, line.Billed, line.Billed - line.LocalCost, !counts, cause,
            ]);
        }

        var notes = new List<string>
        {
            "Local records carry no workspace; the Console and Claude Code columns are the Admin API's share of its tokens.",
        };
        if (usageComplete is null)
        {
            notes.Add("No Admin API data is stored; `tally admin sync` fetches it.");
        }

        if (gaps > 0)
        {
            notes.Add($"{gaps} gap(s) exceed the tolerance of {tolerance.ToString(CultureInfo.InvariantCulture)}%.");
        }

        var table = new BilledTable
        {
            Title = $"Reconciliation · local records vs Admin API · {first:yyyy-MM-dd} – {last:yyyy-MM-dd} UTC · tolerance {tolerance.ToString(CultureInfo.InvariantCulture)}%",
            RowsName = "reconciliation",
            Header = [("since", $"{first:yyyy-MM-dd}"), ("until", $"{last:yyyy-MM-dd}"), ("tolerancePercent", tolerance.ToString(CultureInfo.InvariantCulture))],
            Columns =
            [
                new("Day", "day", BilledColumnKind.Text),
                new("Model", "model", BilledColumnKind.Text),
                new("Local Tokens", "localTokens", BilledColumnKind.Count),
                new("Admin Tokens", "adminTokens", BilledColumnKind.Count),
                new("Token Gap", "tokenGap", BilledColumnKind.Count),
                new("Console", "consoleTokens", BilledColumnKind.Count),
                new("Claude Code", "claudeCodeTokens", BilledColumnKind.Count),
                new("Local Cost", "localCostUsd", BilledColumnKind.Money),
                new("Billed", "billedUsd", BilledColumnKind.Money),
                new("Cost Gap", "costGapUsd", BilledColumnKind.Money),
                new("OK", "withinTolerance", BilledColumnKind.Text),
                new("Likely cause", "cause", BilledColumnKind.Text),
            ],
            Rows = rows,
            Notes = notes,
        };
        if (result.GetValue(_json))
        {
            table.WriteJson(environment.Out);
        }
        else if (result.GetValue(_csv))
        {
            table.WriteCsv(environment.Out);
        }
        else
        {
            table.WriteTable(environment.Console, environment.Error);
        }

        return gaps > 0 ? ExitCodes.Gap : ExitCodes.Ok;
    }

    /// <summary>The likely cause of a line's gap, and whether the gap exceeds the tolerance.</summary>
    private static (string Cause, bool Counts) Cause(string model, Line line, decimal tolerance, bool usageLags, bool costLags, DateTimeOffset? usageComplete)
    {
        if (model == OtherCharges)
        {
            return ("web search or code execution billed apart; local web-search costs are inside each model's row", false);
        }

        var synced = usageComplete is { } mark ? $"the Admin API is synced up to {mark.UtcDateTime:yyyy-MM-dd HH:mm} UTC; run `tally admin sync`" : "run `tally admin sync`";
        var tokensOver = Over(line.AdminTokens, line.LocalTokens, tolerance);
        var costOver = Over(line.Billed, line.LocalCost, tolerance) && Math.Abs(line.Billed - line.LocalCost) >= 0.01m;
        if (tokensOver && line.AdminTokens < line.LocalTokens)
        {
            return usageLags
                ? ($"data lag: {synced}", true)
                : ("not billed through this organization's API: a Claude subscription (Pro/Max) or another organization's key", true);
        }

        if (tokensOver)
        {
            var console = line.ConsoleTokens > 0 ? $"Console (Workbench) use ({line.ConsoleTokens.ToString("N0", CultureInfo.InvariantCulture)} tokens) and " : string.Empty;
            return ($"{console}usage from other machines or API clients, not in this machine's records", true);
        }

        if (costOver)
        {
            if (costLags && line.Billed < line.LocalCost)
            {
                return ($"data lag: costs for this day are not complete; run `tally admin sync`", true);
            }

            return ("a price rule: the catalog's price differs from the bill (long context, batch, data residency, priority tier, or a price change)", true);
        }

        return ("within tolerance", false);
    }

    private static bool Over(decimal a, decimal b, decimal tolerance) => Math.Abs(a - b) > Math.Max(a, b) * tolerance / 100m;

    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private sealed class Line
    {
        public long LocalTokens { get; set; }

        public long AdminTokens { get; set; }

        public long ConsoleTokens { get; set; }

        public long ClaudeCodeTokens { get; set; }

        public decimal LocalCost { get; set; }

        public decimal Billed { get; set; }
    }
}
