namespace Tally.Core.Billing;

/// <summary>The Claude Code analytics report per user (or per day): sessions, lines, commits, pull requests, tool
/// accept rate, tokens and the report's estimated cost.</summary>
public static class ClaudeCodeView
{
    /// <summary>The groupings, the default first.</summary>
    public static readonly IReadOnlyList<string> Dimensions = ["user", "day"];

    /// <summary>Builds the view from the store.</summary>
    public static async Task<BilledView> BuildAsync(IBilledStore store, BilledViewRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        var by = request.By;
        var (first, last) = request.Shown();
        var rows = await store.ClaudeCodeDaysAsync(request.From, request.Until, cancellationToken);
        var lines = rows
            .GroupBy(r => by == "day" ? BilledViewRequest.Day(r.Day) : r.Actor, StringComparer.Ordinal)
            .OrderBy(static g => g.Key, StringComparer.Ordinal)
            .Select(static g => Line(g.Key, g))
            .ToList();
        var notes = new List<string>();
        if (rows.Count == 0)
        {
            notes.Add($"No Claude Code analytics are stored for {first} – {last}; `tally admin sync` fetches them.");
        }
        else
        {
            notes.Add("Estimated cost is the report's own estimate, not what was billed (`tally admin costs` shows billed dollars).");
        }

        return new BilledView
        {
            Title = $"Claude Code (Admin API) · by {by} · {first} – {last} UTC",
            RowsName = "claudeCode",
            Header = [("by", by), ("since", first), ("until", last)],
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
    }

    private static IReadOnlyList<object?> Line(string key, IEnumerable<ClaudeCodeDay> days)
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
