using System.Globalization;
using Microsoft.Extensions.Logging;
using Tally.Core.Budgets;
using Tally.Core.Storage;

namespace Tally.Proxy;

/// <summary>The budgets the proxy enforces, and how they are evaluated.</summary>
/// <param name="Budgets">The budgets (<c>budgets.json</c>).</param>
/// <param name="Settings">Zone, cost mode, aliases and the plan's utilisation.</param>
public sealed record ProxyBudgets(IReadOnlyList<Budget> Budgets, BudgetSettings Settings)
{
    /// <summary>Raises a budget's alerts through the alert channels the CLI's budget check uses (terminal, desktop,
    /// webhook), when a request finds it due; null to only log.</summary>
    public BudgetMonitor? Alerts { get; init; }
}

/// <summary>
/// Checks a metered request against the budgets over their limit before it is forwarded. Which apply: day, month and
/// plan budgets to every request; a session budget to the request's Claude Code session; a project budget to the
/// project the session's calls were indexed under; an agent budget when its target, or the folder name of the working
/// directory it limits, is the request's agent name. Each due budget's alerts are raised through
/// <see cref="ProxyBudgets.Alerts"/> off the request path, once per threshold and window (remembered here, so later
/// requests cost nothing; recorded in the index, so no other process sends it again). Then: <c>warn</c> forwards (and
/// logs); <c>stop</c> refuses with
/// an Anthropic-format 429 naming the budget, the spend and the reset; <c>pause</c> holds the request until the budget
/// is resumed for this window or the window resets, for at most <see cref="ProxyOptions.PauseWait"/>, then refuses.
/// Budget figures are reused for <see cref="ProxyOptions.BudgetCacheTime"/> (the store's aggregates are cheap, not free).
/// </summary>
internal sealed partial class BudgetGate : IBudgetGate, IAsyncDisposable
{
    private readonly ProxyBudgets _budgets;
    private readonly BudgetEvaluator _evaluator;
    private readonly IUsageStore _store;
    private readonly TimeProvider _clock;
    private readonly ProxyOptions _options;
    private readonly ProxyStats _stats;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly Dictionary<string, string?> _sessionProjects = new(StringComparer.Ordinal);
    private readonly HashSet<string> _alerted = new(StringComparer.Ordinal);
    private readonly Lock _alerting = new();
    private Task _alerts = Task.CompletedTask;
    private (DateTimeOffset At, IReadOnlyList<BudgetStatus> Statuses)? _cached;

    public BudgetGate(ProxyBudgets budgets, IUsageStore store, TimeProvider clock, ProxyOptions options, ProxyStats stats, ILogger<BudgetGate> log)
    {
        _budgets = budgets;
        _evaluator = new BudgetEvaluator(store, clock, budgets.Settings);
        _store = store;
        _clock = clock;
        _options = options;
        _stats = stats;
        _log = log;
    }

    /// <summary>Waits for the alerts being raised (their slow deliveries go on in the monitor, which drains them).</summary>
    public Task DrainAlertsAsync()
    {
        lock (_alerting)
        {
            return _alerts;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DrainAlertsAsync();
        _refresh.Dispose();
    }

    public async ValueTask<BudgetRefusal?> CheckAsync(CallIdentity identity, CancellationToken cancellationToken)
    {
        if (_budgets.Budgets.Count == 0)
        {
            return null;
        }

        var due = await DueAsync(identity, fresh: false, cancellationToken);
        RaiseAlerts(due);
        foreach (var warn in due.Where(static s => s.ActionDue == BudgetAction.Warn))
        {
            LogWarn(_log, warn.Budget.Name, Spent(warn), identity.Agent ?? "-");
        }

        if (due.FirstOrDefault(static s => s.ActionDue == BudgetAction.Stop) is { } stop)
        {
            return Refusal(stop, $"Tally budget \"{stop.Budget.Name}\"{Subject(stop)} is spent: {Spent(stop)}{Resets(stop)}. Raise it with `tally budget set`, or wait for the reset.");
        }

        if (due.FirstOrDefault(static s => s.ActionDue == BudgetAction.Pause) is not { } pause)
        {
            return null;
        }

        if (await _store.IsBudgetResumedAsync(pause.Budget.Name, BudgetResume.SubjectKey(pause), pause.Window.Start, cancellationToken))
        {
            return null;
        }

        _stats.AddHeldByBudget();
        LogHeld(_log, pause.Budget.Name, identity.Agent ?? "-");
        var deadline = _clock.GetUtcNow() + _options.PauseWait;
        while (_clock.GetUtcNow() < deadline)
        {
            await Task.Delay(_options.PausePoll, _clock, cancellationToken);
            if (await _store.IsBudgetResumedAsync(pause.Budget.Name, BudgetResume.SubjectKey(pause), pause.Window.Start, cancellationToken)
                || pause.Window.End is { } end && _clock.GetUtcNow() >= end)
            {
                return null;
            }
        }

        return Refusal(pause, $"Tally budget \"{pause.Budget.Name}\"{Subject(pause)} paused this agent: {Spent(pause)}{Resets(pause)}. Resume it with `tally budget resume {pause.Budget.Name}` (or POST /api/budgets/resume).");
    }

    /// <summary>Queues the alerts of the due budgets not alerted yet in their window (at most once per threshold and
    /// window from this process: the dispatcher records each in the index, which also keeps other processes from
    /// sending it again).</summary>
    private void RaiseAlerts(List<BudgetStatus> due)
    {
        if (_budgets.Alerts is not { } monitor || due.Count == 0)
        {
            return;
        }

        lock (_alerting)
        {
            var fresh = due.Where(s => _alerted.Add(AlertKey(s))).ToList();
            if (fresh.Count > 0)
            {
                var previous = _alerts;
                _alerts = RaiseAsync(previous, monitor, fresh);
            }
        }
    }

    private async Task RaiseAsync(Task previous, BudgetMonitor monitor, List<BudgetStatus> statuses)
    {
        await previous;
        try
        {
            foreach (var alert in await monitor.RaiseAsync(statuses, CancellationToken.None))
            {
                LogAlert(_log, alert.Message);
            }
        }
#pragma warning disable CA1031 // an alert that cannot be raised is logged; the proxy goes on
        catch (Exception ex)
#pragma warning restore CA1031
        {
            lock (_alerting)
            {
                foreach (var status in statuses)
                {
                    _alerted.Remove(AlertKey(status)); // tried again by a later request
                }
            }

            LogAlertFailed(_log, ex.GetType().Name, ex.Message);
        }
    }

    private static string AlertKey(BudgetStatus status) => string.Join(
        '|', status.Budget.Name, status.Subject ?? "-", status.Window.Start.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), status.Crossed.Count.ToString(CultureInfo.InvariantCulture));

    private async Task<List<BudgetStatus>> DueAsync(CallIdentity identity, bool fresh, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        IReadOnlyList<BudgetStatus> statuses;
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (fresh || _cached is not { } cached || now - cached.At >= _options.BudgetCacheTime || now < cached.At)
            {
                _cached = (now, await _evaluator.EvaluateAsync(_budgets.Budgets, cancellationToken));
            }

            statuses = _cached.Value.Statuses;
        }
        finally
        {
            _refresh.Release();
        }

        var due = new List<BudgetStatus>();
        foreach (var status in statuses.Where(static s => s.ActionDue is not null))
        {
            if (await AppliesAsync(status, identity, cancellationToken))
            {
                due.Add(status);
            }
        }

        return due;
    }

    private async ValueTask<bool> AppliesAsync(BudgetStatus status, CallIdentity identity, CancellationToken cancellationToken)
    {
        switch (status.Budget.Scope)
        {
            case BudgetScope.Day or BudgetScope.Month or BudgetScope.Plan:
                return true;
            case BudgetScope.Session:
                return identity.SessionId is { } session && string.Equals(status.Subject, session, StringComparison.Ordinal);
            case BudgetScope.Agent:
                return identity.Agent is { } agent && (string.Equals(status.Budget.Target, agent, StringComparison.Ordinal)
                    || string.Equals(status.SubjectLabel, agent, StringComparison.Ordinal)
                    || status.Subject is { } directory && string.Equals(Path.GetFileName(directory.TrimEnd('/', '\\')), agent, StringComparison.Ordinal));
            case BudgetScope.Project:
                return identity.SessionId is { } id && await ProjectOfAsync(id, cancellationToken) is { } project && string.Equals(status.Subject, project, StringComparison.Ordinal);
            default:
                return false;
        }
    }

    private async ValueTask<string?> ProjectOfAsync(string session, CancellationToken cancellationToken)
    {
        lock (_sessionProjects)
        {
            if (_sessionProjects.TryGetValue(session, out var known) && known is not null)
            {
                return known;
            }
        }

        var rows = await _store.AggregateAsync(new UsageQuery { SessionId = session, GroupBy = GroupBy.Project }, cancellationToken);
        var project = rows.Where(static r => r.Project is not null).MaxBy(static r => r.LastSeen)?.Project;
        lock (_sessionProjects)
        {
            _sessionProjects[session] = project;
        }

        return project;
    }

    private BudgetRefusal Refusal(BudgetStatus status, string message)
    {
        var now = _clock.GetUtcNow();
        TimeSpan? after = status.Window.End is { } end && end > now ? end - now : null;
        return new BudgetRefusal(429, "rate_limit_error", message, after);
    }

    private static string Subject(BudgetStatus status) => (status.SubjectLabel ?? status.Subject) is { } subject ? $" for {subject}" : string.Empty;

    private static string Spent(BudgetStatus status) => status.Budget.Unit switch
    {
        BudgetUnit.Usd => string.Create(CultureInfo.InvariantCulture, $"${status.Used:0.00} of ${status.Budget.Limit:0.00}"),
        BudgetUnit.Percent => string.Create(CultureInfo.InvariantCulture, $"{status.Used:0.#}% of {status.Budget.Limit:0.#}% of the plan"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{status.Used:#,0} of {status.Budget.Limit:#,0} tokens"),
    };

    private static string Resets(BudgetStatus status) => status.Window.End is { } end
        ? $"; it resets at {end.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC"
        : "; its window never resets";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Budget {Budget} is over its limit ({Spent}); forwarding agent {Agent}'s request (action: warn).")]
    private static partial void LogWarn(ILogger logger, string budget, string spent, string agent);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert raised: {Message}")]
    private static partial void LogAlert(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A budget alert could not be raised ({Type}: {Reason}); a later request tries again.")]
    private static partial void LogAlertFailed(ILogger logger, string type, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Budget {Budget} paused agent {Agent}: holding its request until the budget is resumed or its window resets.")]
    private static partial void LogHeld(ILogger logger, string budget, string agent);
}
