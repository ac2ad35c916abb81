using Tally.Core.Storage;
using Tally.Core.Usage;

namespace Tally.Core.Agents;

/// <summary>What an agent (or a whole session) did in a range: calls, tokens, cost, when, and with which models.</summary>
public sealed record AgentFigures
{
    /// <summary>Nothing.</summary>
    public static readonly AgentFigures Empty = new();

    /// <summary>Billed calls (assistant messages, after de-duplication).</summary>
    public long Messages { get; init; }

    /// <summary>Tokens by kind.</summary>
    public TokenCounts Tokens { get; init; }

    /// <summary>Web searches.</summary>
    public long WebSearchRequests { get; init; }

    /// <summary>Cost in the query's cost mode.</summary>
    public decimal CostUsd { get; init; }

    /// <summary>Calls whose model no catalog row prices (counted at $0).</summary>
    public long UnpricedCalls { get; init; }

    /// <summary>Calls whose cost is the source's own figure.</summary>
    public long ReportedCostCalls { get; init; }

    /// <summary>The first call in the range.</summary>
    public DateTimeOffset? FirstActivity { get; init; }

    /// <summary>The last call in the range.</summary>
    public DateTimeOffset? LastActivity { get; init; }

    /// <summary>The model ids used, by cost (dearest first), then by id.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>Sums rows (of one agent, or of a whole session).</summary>
    public static AgentFigures Of(IEnumerable<AgentActivityRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var figures = Empty;
        var models = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            models[row.Model] = models.GetValueOrDefault(row.Model) + row.CostUsd;
            figures = figures with
            {
                Messages = figures.Messages + row.Calls,
                Tokens = figures.Tokens + row.Tokens,
                WebSearchRequests = figures.WebSearchRequests + row.WebSearchRequests,
                CostUsd = figures.CostUsd + row.CostUsd,
                UnpricedCalls = figures.UnpricedCalls + row.UnpricedCalls,
                ReportedCostCalls = figures.ReportedCostCalls + row.ReportedCostCalls,
                FirstActivity = figures.FirstActivity is { } f && f <= row.FirstSeen ? f : row.FirstSeen,
                LastActivity = figures.LastActivity is { } l && l >= row.LastSeen ? l : row.LastSeen,
            };
        }

        return figures with
        {
            Models = [.. models.OrderByDescending(static m => m.Value).ThenBy(static m => m.Key, StringComparer.Ordinal).Select(static m => m.Key)],
        };
    }
}
