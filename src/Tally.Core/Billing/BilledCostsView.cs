namespace Tally.Core.Billing;

/// <summary>Billed dollars from the cost report by day, workspace, model, description, token type or segment, each row
/// within one segment (API, Claude Code; Console spend cannot be told apart in the cost report).</summary>
public static class BilledCostsView
{
    /// <summary>The groupings, the default first.</summary>
    public static readonly IReadOnlyList<string> Dimensions = ["day", "workspace", "model", "description", "token-type", "segment"];

    /// <summary>Builds the view from the store.</summary>
    public static async Task<BilledView> BuildAsync(IBilledStore store, BilledViewRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        var by = request.By;
        var (first, last) = request.Shown();
        var names = await BilledNames.LoadAsync(store, request.ClaudeCodeWorkspaces, cancellationToken);
        var rows = await store.BilledCostsAsync(request.From, request.Until, cancellationToken);
        var lines = rows
            .GroupBy(r => (Key: Key(r, by, names), Segment: Segments.Name(names.Segments.Of(r))))
            .OrderBy(static g => g.Key.Key, StringComparer.Ordinal).ThenBy(static g => g.Key.Segment, StringComparer.Ordinal)
            .Select(static g => (IReadOnlyList<object?>)[g.Key.Key, g.Key.Segment, g.Sum(static r => r.AmountUsd)])
            .ToList();
        var notes = new List<string>();
        if (rows.Count == 0)
        {
            notes.Add($"No billed costs are stored for {first} – {last}; `tally admin sync` fetches them.");
        }
        else
        {
            notes.Add("The cost report has no API-key dimension: Console (Workbench) spend is counted in \"api\"; `tally admin usage --by segment` shows Console tokens apart.");
            if (names.Segments.ClaudeCodeWorkspaces.Count == 0)
            {
                notes.Add("No \"Claude Code\" workspace is known, so no spend is counted as Claude Code (admin.claudeCodeWorkspaces in config.json names others).");
            }
        }

        return new BilledView
        {
            Title = $"Billed costs (Admin API) · by {by} · {first} – {last} UTC",
            RowsName = "costs",
            Header = [("by", by), ("since", first), ("until", last)],
            Columns = [new(Heading(by), "key", BilledColumnKind.Text), new("Segment", "segment", BilledColumnKind.Text), new("Cost (USD)", "costUsd", BilledColumnKind.Money)],
            Rows = lines,
            Totals = ["Total", null, rows.Sum(static r => r.AmountUsd)],
            Notes = notes,
        };
    }

    private static string Key(BilledCostRow row, string by, BilledNames names) => by switch
    {
        "workspace" => names.Workspace(row.WorkspaceId),
        "model" => row.Model ?? (row.CostType is { } type ? $"({type})" : "(no model)"),
        "description" => row.Description ?? "(none)",
        "token-type" => row.TokenType ?? (row.CostType is { } type ? $"({type})" : "(none)"),
        "segment" => Segments.Name(names.Segments.Of(row)),
        _ => BilledViewRequest.Day(row.Day),
    };

    private static string Heading(string by) => by switch
    {
        "token-type" => "Token type",
        _ => char.ToUpperInvariant(by[0]) + by[1..],
    };
}
