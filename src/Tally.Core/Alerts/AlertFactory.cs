using System.Globalization;
using Tally.Core.Budgets;

namespace Tally.Core.Alerts;

/// <summary>
/// Turns budget statuses and rate-limit hits into alerts: one per threshold reached, one when the limit is projected
/// to be reached before the window resets, one per rate-limit hit. Each alert's key makes it once per window.
/// </summary>
public sealed class AlertFactory
{
    private readonly TimeZoneInfo _zone;
    private readonly TimeProvider _clock;

    /// <summary>Creates a factory that says times in <paramref name="zone"/>.</summary>
    public AlertFactory(TimeZoneInfo zone, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(clock);
        _zone = zone;
        _clock = clock;
    }

    /// <summary>The alerts <paramref name="statuses"/> call for (some may have been raised before: the store decides).</summary>
    public IReadOnlyList<Alert> ForBudgets(IEnumerable<BudgetStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var now = _clock.GetUtcNow();
        var alerts = new List<Alert>();
        foreach (var status in statuses)
        {
            if (status.Used is not { } used)
            {
                continue;
            }

            var budget = status.Budget;
            foreach (var threshold in status.Crossed)
            {
                alerts.Add(Base(status, now, "t" + threshold.ToString(CultureInfo.InvariantCulture)) with
                {
                    Kind = AlertKind.Threshold,
                    Threshold = threshold,
                    Message = ThresholdMessage(status, threshold, used),
                });
            }

            if (status.ProjectedAt is { } at)
            {
                alerts.Add(Base(status, now, "projected") with
                {
                    Kind = AlertKind.Projected,
                    ProjectedAt = at,
                    Message = $"{Lead(status)}: at this rate ({BudgetFormat.Amount(status.BurnPerHour ?? 0m, budget.Unit)}/h) the limit of {BudgetFormat.Limit(budget)} is reached at {BudgetFormat.Time(at, now, _zone)} ({BudgetFormat.Amount(used, budget.Unit)} used{WindowText(status)}).",
                });
            }
        }

        return alerts;
    }

    /// <summary>The alert for a rate-limit hit: one per limit and reset time (or per hour, when the reset is unknown).</summary>
    public Alert ForRateLimit(RateLimitHit hit)
    {
        ArgumentNullException.ThrowIfNull(hit);
        var now = _clock.GetUtcNow();
        var window = hit.Window ?? "rate";
        var instant = hit.ResetsAt ?? DateTimeOffset.FromUnixTimeSeconds(hit.ObservedAt.ToUnixTimeSeconds() / 3600 * 3600);
        var source = hit.Source switch
        {
            RateLimitSource.LimitLine => "a limit line in a transcript",
            RateLimitSource.Http429 => "an HTTP 429 answer",
            _ => "Claude Code's status line",
        };
        var who = hit.Subject is null ? string.Empty : $" by {hit.Subject}";
        var resets = hit.ResetsAt is { } r ? $"; resets at {BudgetFormat.Time(r, now, _zone)}" : string.Empty;
        return new Alert
        {
            Key = $"rate-limit|{window}|{instant.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}",
            Kind = AlertKind.RateLimit,
            RaisedAt = now,
            Subject = hit.Subject,
            RateLimit = hit,
            Window = new BudgetWindow(hit.ObservedAt, hit.ResetsAt),
            Message = $"Rate limit hit{who}: the {(hit.Window is null ? "rate" : hit.Window)} limit was reached ({source}){resets}.",
        };
    }

    private static Alert Base(BudgetStatus status, DateTimeOffset now, string what)
    {
        var budget = status.Budget;
        var limit = $"{BudgetText.Of(budget.Unit)}{budget.Limit.ToString(CultureInfo.InvariantCulture)}";
        var key = string.Join('|', "budget", budget.Name, limit, status.Subject ?? "-", what, status.Window.Start.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        return new Alert
        {
            Key = key,
            Kind = AlertKind.Threshold,
            RaisedAt = now,
            Message = string.Empty,
            Budget = budget,
            Subject = status.Subject,
            Used = status.Used,
            BurnPerHour = status.BurnPerHour,
            Window = status.Window,
        };
    }

    private string ThresholdMessage(BudgetStatus status, decimal threshold, decimal used)
    {
        var budget = status.Budget;
        var amount = BudgetFormat.Amount(used, budget.Unit);
        if (threshold < 100m)
        {
            return $"{Lead(status)}: {BudgetFormat.Percent(threshold)} of {BudgetFormat.Limit(budget)} used ({amount}{WindowText(status)}).";
        }

        var reached = threshold == 100m ? "limit of " + BudgetFormat.Limit(budget) : $"{BudgetFormat.Percent(threshold)} of {BudgetFormat.Limit(budget)}";
        return $"{Lead(status)}: {reached} reached ({amount}{WindowText(status)}); action: {BudgetText.Of(budget.Action)}.";
    }

    private static string Lead(BudgetStatus status)
    {
        var subject = BudgetFormat.Subject(status.Budget.Scope, status.Subject, status.SubjectLabel);
        return subject.Length == 0 ? $"Budget {status.Budget.Name}" : $"Budget {status.Budget.Name} ({subject})";
    }

    private string WindowText(BudgetStatus status) => status.Budget.Period switch
    {
        BudgetPeriod.Day => " on " + LocalCalendar.DayOf(status.Window.Start, _zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        BudgetPeriod.Month => " in " + LocalCalendar.DayOf(status.Window.Start, _zone).ToString("yyyy-MM", CultureInfo.InvariantCulture),
        BudgetPeriod.Total => string.Empty,
        _ => status.Window.End is { } end ? $", window resets at {BudgetFormat.Time(end, status.Window.Start, _zone)}" : string.Empty,
    };
}
