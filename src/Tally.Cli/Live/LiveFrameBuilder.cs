using Tally.Core.Agents;
using Tally.Core.Limits;
using Tally.Core.Storage;

namespace Tally.Cli.Live;

/// <summary>
/// Builds live frames from the index: plan usage (<see cref="PlanUsage"/>) for the windows, burn rate and time to the
/// limit, the agent board for the agent rows (without running git: the monitor redraws often), and the alert history.
/// A few queries bounded by their windows; called after each sync, never on the redraw tick.
/// </summary>
internal sealed class LiveFrameBuilder(IUsageStore store, TimeProvider clock, LiveOptions options)
{
    private readonly PlanUsage _usage = new(new UsageWindows(store, clock));
    private readonly AgentBoard _board = new(store, options.Agents, clock, changes: null);

    /// <summary>The frame for now.</summary>
    public async Task<LiveFrame> BuildAsync(LiveSync? lastSync, CancellationToken cancellationToken)
    {
        var limits = await _usage.ReportAsync(options.Limits, cancellationToken);
        var now = limits.Now;
        var five = limits.Windows.First(static w => w.Kind == WindowKind.FiveHour);
        var weekly = limits.Windows.First(static w => w.Kind == WindowKind.Weekly);
        var projection = limits.BurnRate is { } rate && five.ResetsAt is { } reset && reset > now
            ? Projection.Of(five.Used, rate, reset, now)
            : null;

        var cards = await _board.BuildAsync(new UsageQuery { From = now - options.AgentRange, CostMode = options.CostMode }, cancellationToken);
        var agents = cards.OrderByDescending(static c => c.Status == AgentStatus.Active).ThenByDescending(static c => c.LastActivity).ToList();
        var alerts = await store.AlertsAsync(now - options.AlertRange, null, cancellationToken);
        return new LiveFrame
        {
            BuiltAt = now,
            Zone = options.Limits.Zone,
            Plan = limits.Plan.Label ?? limits.Plan.Name,
            FiveHour = five,
            Weekly = weekly,
            BurnRate = limits.BurnRate,
            Projection = projection,
            Blocked = limits.Blocked,
            BlockedUntil = limits.BlockedUntil,
            Agents = [.. agents.Take(options.MaxAgents)],
            MoreAgents = Math.Max(0, agents.Count - options.MaxAgents),
            ActiveWindow = options.Agents.ActiveWindow,
            Alerts = [.. alerts.OrderByDescending(static a => a.RaisedAt).ThenByDescending(static a => a.Id).Take(options.MaxAlerts)],
            LastSync = lastSync,
        };
    }
}
