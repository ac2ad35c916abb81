using Tally.Core.Alerts;
using Tally.Core.Storage;

namespace Tally.Core.Budgets;

/// <summary>
/// Checks budgets and raises their alerts, and raises rate-limit alerts: what a sync, the live monitor, the dashboard
/// and the metering proxy call. The proxy enforces <see cref="BudgetStatus.ActionDue"/> from the statuses it returns.
/// </summary>
public sealed class BudgetMonitor
{
    private readonly BudgetEvaluator _evaluator;
    private readonly AlertFactory _factory;
    private readonly AlertDispatcher _dispatcher;
    private readonly bool _rateLimitAlerts;

    /// <summary>Creates a monitor over <paramref name="store"/> that raises through <paramref name="dispatcher"/>.</summary>
    /// <param name="store">The index.</param>
    /// <param name="clock">The clock.</param>
    /// <param name="settings">Time zone, cost mode, aliases and plan utilisation.</param>
    /// <param name="dispatcher">Records and delivers alerts.</param>
    /// <param name="rateLimitAlerts">Whether rate-limit hits raise alerts.</param>
    public BudgetMonitor(IUsageStore store, TimeProvider clock, BudgetSettings settings, AlertDispatcher dispatcher, bool rateLimitAlerts = true)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(dispatcher);
        _evaluator = new BudgetEvaluator(store, clock, settings);
        _factory = new AlertFactory(settings.Zone, clock);
        _dispatcher = dispatcher;
        _rateLimitAlerts = rateLimitAlerts;
    }

    /// <summary>Evaluates <paramref name="budgets"/> and raises the alerts they call for.</summary>
    public async Task<BudgetCheck> CheckAsync(IReadOnlyList<Budget> budgets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        if (budgets.Count == 0)
        {
            return new BudgetCheck([], []);
        }

        var statuses = await _evaluator.EvaluateAsync(budgets, cancellationToken);
        var raised = await _dispatcher.RaiseAsync(_factory.ForBudgets(statuses), cancellationToken);
        return new BudgetCheck(statuses, raised);
    }

    /// <summary>
    /// Raises the alerts <paramref name="statuses"/> call for, already evaluated (the metering proxy's budget check):
    /// the same alerts as <see cref="CheckAsync"/>, recorded once per threshold and window whoever raises them first.
    /// Returns the alerts this call raised.
    /// </summary>
    public Task<IReadOnlyList<Alert>> RaiseAsync(IReadOnlyList<BudgetStatus> statuses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        return _dispatcher.RaiseAsync(_factory.ForBudgets(statuses), cancellationToken);
    }

    /// <summary>
    /// Raises the alert for a rate-limit hit (once per limit and reset time), when rate-limit alerts are on. The limits
    /// code calls it for a "limit reached" line; the proxy for a 429. Returns the alert when this call raised it.
    /// </summary>
    public async Task<Alert?> RateLimitHitAsync(RateLimitHit hit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hit);
        if (!_rateLimitAlerts)
        {
            return null;
        }

        var raised = await _dispatcher.RaiseAsync([_factory.ForRateLimit(hit)], cancellationToken);
        return raised.Count == 0 ? null : raised[0];
    }

    /// <summary>Waits for deliveries still in flight (webhook retries) and records their outcomes.</summary>
    public Task DrainAsync() => _dispatcher.DrainAsync();
}
