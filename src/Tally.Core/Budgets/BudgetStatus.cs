namespace Tally.Core.Budgets;

/// <summary>Where one budget stands for one subject (a session, project or agent; none for day, month and plan
/// budgets) in its current window.</summary>
public sealed record BudgetStatus
{
    /// <summary>The budget.</summary>
    public required Budget Budget { get; init; }

    /// <summary>The session id, project path or agent directory this status is for; null for day, month and plan budgets.</summary>
    public string? Subject { get; init; }

    /// <summary>How people know the subject: a project's alias, an agent's folder name, a session id; null when none.</summary>
    public string? SubjectLabel { get; init; }

    /// <summary>The current window.</summary>
    public required BudgetWindow Window { get; init; }

    /// <summary>Usage in the window, in the budget's unit; null when it is not known (a percent budget with no
    /// utilisation figure).</summary>
    public decimal? Used { get; init; }

    /// <summary>The current burn rate, in the budget's unit per hour (over the last hour); null when unknown.</summary>
    public decimal? BurnPerHour { get; init; }

    /// <summary>When the limit is reached at the current burn rate, if that is before the window resets (or, for a
    /// window that never resets, within the next hour); null otherwise.</summary>
    public DateTimeOffset? ProjectedAt { get; init; }

    /// <summary>Why <see cref="Used"/> is unknown, when it is.</summary>
    public string? Note { get; init; }

    /// <summary>Usage as a percentage of the limit; null when usage is unknown.</summary>
    public decimal? Percent => Used is { } used ? used * 100m / Budget.Limit : null;

    /// <summary>The thresholds reached so far in this window, ascending.</summary>
    public IReadOnlyList<decimal> Crossed => Used is { } used ? [.. Budget.Thresholds.Where(t => used * 100m >= t * Budget.Limit)] : [];

    /// <summary>The budget's action when its limit is reached (for the proxy to enforce); null below the limit.</summary>
    public BudgetAction? ActionDue => Used >= Budget.Limit ? Budget.Action : null;
}
