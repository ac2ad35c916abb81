using Tally.Core.Budgets;

namespace Tally.Core.Limits;

/// <summary>
/// Plan-percent budgets' utilisation, from <see cref="PlanUsage"/>: the 5-hour or weekly window's utilisation from its
/// best signal (observed header, status line, limit line, else the estimate used / limit), labelled with that source,
/// and its burn in percent per hour when the window's limit is known. One report serves every budget of a check.
/// </summary>
/// <param name="usage">Plan usage over the index.</param>
/// <param name="request">The plan, zone, weekly reset and cost mode.</param>
public sealed class PlanUsageUtilisation(PlanUsage usage, LimitsRequest request) : IPlanUtilisationSource
{
    private readonly PlanUsage _usage = usage ?? throw new ArgumentNullException(nameof(usage));
    private readonly LimitsRequest _request = request ?? throw new ArgumentNullException(nameof(request));
    private (DateTimeOffset At, LimitsReport Report)? _last;

    /// <inheritdoc />
    public async ValueTask<PlanUtilisation?> GetAsync(BudgetPeriod period, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var kind = period switch
        {
            BudgetPeriod.FiveHour => WindowKind.FiveHour,
            BudgetPeriod.Weekly => WindowKind.Weekly,
            _ => WindowKind.Unknown,
        };
        if (kind == WindowKind.Unknown)
        {
            return null;
        }

        if (_last is not { } last || last.At != now)
        {
            _last = (now, await _usage.ReportAsync(_request, cancellationToken));
        }

        var report = _last.Value.Report;
        var window = report.Windows.FirstOrDefault(w => w.Kind == kind && w.Model is null);
        if (window?.Utilisation is not { } percent)
        {
            return null;
        }

        decimal? perHour = report.BurnRate is { } rate && window.LimitUsd is > 0m && !window.Blocked
            ? Math.Round(rate.CostPerHour / window.LimitUsd.Value * 100m, 4, MidpointRounding.AwayFromZero)
            : null;
        return new PlanUtilisation(percent, new BudgetWindow(window.Start ?? now, window.ResetsAt), window.UtilisationSource.Label(), perHour);
    }
}
