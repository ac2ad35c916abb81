using Tally.Core.Usage;

namespace Tally.Core.Billing;

/// <summary>Tokens from the usage report by day, model, workspace, API key or segment, each row within one segment
/// (API, Claude Code, Console).</summary>
public static class BilledUsageView
{
    /// <summary>The groupings, the default first.</summary>
    public static readonly IReadOnlyList<string> Dimensions = ["day", "model", "workspace", "api-key", "segment"];

    /// <summary>Builds the view from the store.</summary>
    public static async Task<BilledView> BuildAsync(IBilledStore store, BilledViewRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        var by = request.By;
        var (first, last) = request.Shown();
        var names = await BilledNames.LoadAsync(store, request.ClaudeCodeWorkspaces, cancellationToken);
        var rows = await store.BilledUsageAsync(BilledViewRequest.Midnight(request.From), BilledViewRequest.Midnight(request.Until), cancellationToken);
        var lines = rows
            .GroupBy(r => (Key: Key(r, by, names), Segment: Segments.Name(names.Segments.Of(r))))
            .OrderBy(static g => g.Key.Key, StringComparer.Ordinal).ThenBy(static g => g.Key.Segment, StringComparer.Ordinal)
            .Select(static g => Line(g.Key.Key, g.Key.Segment, g))
            .ToList();
        var notes = new List<string>();
        if (rows.Count == 0)
        {
            notes.Add($"No billed usage is stored for {first} – {last}; `tally admin sync` fetches it.");
        }

        return new BilledView
        {
            Title = $"Billed usage (Admin API) · by {by} · {first} – {last} UTC",
            RowsName = "usage",
            Header = [("by", by), ("since", first), ("until", last)],
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
    }

    private static IReadOnlyList<object?> Line(string key, string? segment, IEnumerable<BilledUsageRow> rows)
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

    private static string Key(BilledUsageRow row, string by, BilledNames names) => by switch
    {
        "model" => row.Model ?? "(no model)",
        "workspace" => names.Workspace(row.WorkspaceId),
        "api-key" => names.ApiKey(row.ApiKeyId),
        "segment" => Segments.Name(names.Segments.Of(row)),
        _ => row.Bucket.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    };
}
