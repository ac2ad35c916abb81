using System.Globalization;
using Tally.Core.Storage;

namespace Tally.Core.Billing;

/// <summary>
/// Local records against the Admin API's tokens and billed dollars, per UTC day and model, each gap with its likely
/// cause (what <c>tally reconcile</c> prints and <c>/api/reconcile</c> answers).
/// </summary>
public static class Reconciliation
{
    /// <summary>The tolerance used when none is given, in percent.</summary>
    public const decimal DefaultTolerance = 1m;

    /// <summary>How many days are compared when no first day is given.</summary>
    public const int DefaultDays = 7;

    private const string OtherCharges = "(charges without a model)";

    /// <summary>The first and last day for days either of which may be missing: the last defaults to the day before
    /// <paramref name="today"/> (today's bill is still filling), the first to <see cref="DefaultDays"/> days ending on the last.</summary>
    public static (DateOnly First, DateOnly Last) Window(DateOnly? first, DateOnly? last, DateOnly today)
    {
        var end = last ?? today.AddDays(-1);
        return (first ?? end.AddDays(-(DefaultDays - 1)), end);
    }

    /// <summary>Compares the days <paramref name="first"/>..<paramref name="last"/> (UTC). The result's view holds one row
    /// per day and model; its gap count is the rows beyond <paramref name="tolerance"/> (percent of the larger figure).</summary>
    public static async Task<(BilledView View, int Gaps)> BuildAsync(
        IUsageStore local, IBilledStore billed, DateOnly first, DateOnly last, decimal tolerance, CostMode costMode,
        IReadOnlyCollection<string>? claudeCodeWorkspaces, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(billed);
        var from = BilledViewRequest.Midnight(first);
        var until = BilledViewRequest.Midnight(last.AddDays(1));
        var names = await BilledNames.LoadAsync(billed, claudeCodeWorkspaces, cancellationToken);
        var records = await local.AggregateAsync(new UsageQuery { From = from, Until = until, GroupBy = GroupBy.QuarterHour | GroupBy.Model, CostMode = costMode }, cancellationToken);
        var usage = await billed.BilledUsageAsync(from, until, cancellationToken);
        var costs = await billed.BilledCostsAsync(first, last.AddDays(1), cancellationToken);
        var usageComplete = await billed.BilledCompleteUntilAsync(BilledReports.Usage, cancellationToken);
        var costComplete = await billed.BilledCompleteUntilAsync(BilledReports.Cost, cancellationToken);

        var lines = new Dictionary<(DateOnly Day, string Model), Line>();
        Line At(DateOnly day, string model) => lines.TryGetValue((day, model), out var line) ? line : lines[(day, model)] = new Line();
        foreach (var row in records)
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

        var rows = new List<IReadOnlyList<object?>>();
        var gaps = 0;
        foreach (var ((day, model), line) in lines.OrderBy(static l => l.Key.Day).ThenBy(static l => l.Key.Model, StringComparer.Ordinal))
        {
            var dayEnd = BilledViewRequest.Midnight(day.AddDays(1));
            var (cause, counts) = Cause(model, line, tolerance, usageComplete is null || usageComplete < dayEnd, costComplete is null || costComplete < dayEnd, usageComplete);
            gaps += counts ? 1 : 0;
            rows.Add(
            [
                BilledViewRequest.Day(day), model, line.LocalTokens, line.AdminTokens, line.AdminTokens - line.LocalTokens,
                line.ConsoleTokens, line.ClaudeCodeTokens, line.LocalCost, line.Billed, line.Billed - line.LocalCost, !counts, cause,
            ]);
        }

        var shownTolerance = tolerance.ToString(CultureInfo.InvariantCulture);
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
            notes.Add($"{gaps} gap(s) exceed the tolerance of {shownTolerance}%.");
        }

        var view = new BilledView
        {
            Title = $"Reconciliation · local records vs Admin API · {BilledViewRequest.Day(first)} – {BilledViewRequest.Day(last)} UTC · tolerance {shownTolerance}%",
            RowsName = "reconciliation",
            Header = [("since", BilledViewRequest.Day(first)), ("until", BilledViewRequest.Day(last)), ("tolerancePercent", shownTolerance)],
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
        return (view, gaps);
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
