using Tally.Core.Storage;

namespace Tally.Core.Reports;

/// <summary>One session in detail: its totals, and the same per agent (the main agent and each subagent) and per model.</summary>
public sealed record SessionDetail
{
    /// <summary>The session as a report row (project, totals, models).</summary>
    public required ReportLine Session { get; init; }

    /// <summary>One row per agent: key <c>main</c> for the session's own agent, else the subagent's id.</summary>
    public required IReadOnlyList<ReportLine> Agents { get; init; }

    /// <summary>The price catalog version.</summary>
    public required string CatalogVersion { get; init; }

    /// <summary>The key of the session's own agent.</summary>
    public const string MainAgent = "main";

    /// <summary>The sessions whose id starts with <paramref name="prefix"/>.</summary>
    public static async Task<IReadOnlyList<string>> MatchAsync(IUsageStore store, string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var rows = await store.AggregateAsync(new UsageQuery { GroupBy = GroupBy.Session }, cancellationToken);
        var sessions = rows.Select(static r => r.SessionId).OfType<string>().ToList();
        return sessions.Contains(prefix, StringComparer.Ordinal) ? [prefix] : [.. sessions.Where(s => s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal)];
    }

    /// <summary>Builds the detail of <paramref name="sessionId"/>.</summary>
    public static async Task<SessionDetail> BuildAsync(IUsageStore store, Core.Pricing.PriceCatalog catalog, ReportRequest request, string sessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(request);
        var session = await ReportBuilder.BuildAsync(store, catalog, request with { Kind = ReportKind.Session, SessionId = sessionId }, cancellationToken);
        var rows = await store.AggregateAsync(new UsageQuery { SessionId = sessionId, From = request.From, Until = request.To, CostMode = request.CostMode, GroupBy = GroupBy.Agent | GroupBy.Model }, cancellationToken);
        var agents = rows.GroupBy(static r => r.AgentId ?? MainAgent, StringComparer.Ordinal)
            .Select(static g =>
            {
                var models = g.Select(static r => new ModelLine(r.Model ?? string.Empty, UsageTotals.Empty.Add(r))).OrderByDescending(static m => m.Totals.CostUsd).ToList();
                return new ReportLine { Key = g.Key, Totals = models.Aggregate(UsageTotals.Empty, static (s, m) => s.Add(m.Totals)), Models = models };
            })
            .OrderBy(static a => a.Key == MainAgent ? 0 : 1).ThenBy(static a => a.Totals.FirstActivity).ToList();
        var line = session.Lines.Count > 0 ? session.Lines[0] : new ReportLine { Key = sessionId, Totals = UsageTotals.Empty, Models = [] };
        return new SessionDetail { Session = line, Agents = agents, CatalogVersion = catalog.Version };
    }
}
