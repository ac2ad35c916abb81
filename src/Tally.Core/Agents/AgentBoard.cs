using Tally.Core.Storage;

namespace Tally.Core.Agents;

/// <summary>
/// Builds agent cards from the index: one per agent the metering proxy named (all its calls, whatever their session),
/// and one per session for the calls no proxy named (its subagents inside), so that no call is on two cards; each with
/// its status at the clock's "now", its billing source (as the proxy saw it, else from the settings) and its working
/// tree's current changes. Free of any output format, so the CLI,
/// a live monitor and a dashboard show the same cards.
/// </summary>
/// <param name="store">The index.</param>
/// <param name="settings">Auth mode, overrides, labels, active window, project aliases.</param>
/// <param name="clock">What "now" is, for statuses.</param>
/// <param name="changes">Reads working trees' changes; null to skip them.</param>
public sealed class AgentBoard(IUsageStore store, AgentSettings settings, TimeProvider clock, IWorktreeChanges? changes)
{
    /// <summary>How many working trees are read at once.</summary>
    private const int ChangeReaders = 4;

    /// <summary>
    /// The cards for the sessions with calls the query selects (its range, projects, models, session and cost mode),
    /// active ones first, then by latest call, newest first.
    /// </summary>
    public async Task<IReadOnlyList<AgentCard>> BuildAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var now = clock.GetUtcNow();
        var rows = await store.AgentActivityAsync(query, cancellationToken);
        var cards = rows.GroupBy(static r => r.ProxyAgent is { } agent ? (true, agent) : (false, r.SessionId ?? string.Empty))
            .Select(g => Card(g.Key.Item1 ? g.Key.Item2 : null, [.. g], now, query.CostMode))
            .OrderByDescending(static c => c.Status)
            .ThenByDescending(static c => c.LastActivity)
            .ThenBy(static c => c.Agent ?? c.SessionId, StringComparer.Ordinal)
            .ToList();
        if (changes is null)
        {
            return cards;
        }

        var directories = cards.Select(static c => c.Directory).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var found = new System.Collections.Concurrent.ConcurrentDictionary<string, WorktreeChanges?>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(directories, new ParallelOptions { MaxDegreeOfParallelism = ChangeReaders, CancellationToken = cancellationToken }, async (directory, token) =>
            found[directory] = await changes.ReadAsync(directory, token));
        return [.. cards.Select(c => c.Directory is { } d && found.TryGetValue(d, out var change) ? c with { Changes = change } : c)];
    }

    /// <summary>Active when the last call is within the active window of <paramref name="now"/> (or after it: a clock ahead).</summary>
    public AgentStatus StatusAt(DateTimeOffset lastActivity, DateTimeOffset now) =>
        now - lastActivity <= settings.ActiveWindow ? AgentStatus.Active : AgentStatus.Idle;

    private AgentCard Card(string? proxyAgent, List<AgentActivityRow> rows, DateTimeOffset now, CostMode mode)
    {
        var main = rows.Where(static r => r.AgentId is null).ToList();
        var latest = (main.Count > 0 ? main : rows).MaxBy(static r => r.LastSeen)!;
        var sessionId = latest.SessionId ?? rows.Where(static r => r.SessionId is not null).MaxBy(static r => r.LastSeen)?.SessionId;
        var key = proxyAgent ?? sessionId!; // a card without a proxy agent is a session's
        var totals = AgentFigures.Of(rows);
        var subagents = rows.Where(static r => r.AgentId is not null)
            .GroupBy(static r => r.AgentId!, StringComparer.Ordinal)
            .Select(g =>
            {
                var figures = AgentFigures.Of(g);
                return new SubagentLine(g.Key, StatusAt(figures.LastActivity!.Value, now), figures);
            })
            .OrderBy(static s => s.Figures.FirstActivity)
            .ThenBy(static s => s.AgentId, StringComparer.Ordinal)
            .ToList();
        var configured = settings.LabelOf(key, latest.Cwd);
        var branch = string.IsNullOrWhiteSpace(latest.GitBranch) ? null : latest.GitBranch;
        var observed = rows.Where(static r => r.Billing is BillingSource.Subscription or BillingSource.Api).MaxBy(static r => r.LastSeen)?.Billing;
        var (billing, basis) = observed is { } seen ? (seen, BillingBasis.Proxy) : settings.BillingOf(key, latest.Cwd, latest.Project);
        var last = totals.LastActivity!.Value;
        return new AgentCard
        {
            SessionId = sessionId,
            Agent = proxyAgent,
            Label = configured ?? branch,
            LabelSource = configured is not null ? LabelSource.Configured : branch is not null ? LabelSource.Branch : LabelSource.None,
            Directory = latest.Cwd,
            Project = latest.Project,
            ProjectName = settings.ProjectName(latest.Project),
            GitBranch = latest.GitBranch,
            Status = StatusAt(last, now),
            StartedAt = rows.Min(static r => r.SessionFirstSeen),
            LastActivity = last,
            Totals = totals,
            Main = AgentFigures.Of(main),
            Subagents = subagents,
            Billing = billing,
            BillingBasis = basis,
            CostMode = mode,
        };
    }
}
