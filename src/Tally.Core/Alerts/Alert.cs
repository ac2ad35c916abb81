using Tally.Core.Budgets;

namespace Tally.Core.Alerts;

/// <summary>
/// One alert, as raised and kept in the history. Its <see cref="Key"/> names what it is about (budget, limit,
/// subject, threshold and window start), so the same alert is raised once however many processes evaluate it.
/// </summary>
public sealed record Alert
{
    /// <summary>The store's id (0 before it is stored).</summary>
    public long Id { get; init; }

    /// <summary>The de-duplication key: one alert per key, ever.</summary>
    public required string Key { get; init; }

    /// <summary>Why it was raised.</summary>
    public required AlertKind Kind { get; init; }

    /// <summary>When it was raised.</summary>
    public required DateTimeOffset RaisedAt { get; init; }

    /// <summary>One line for people.</summary>
    public required string Message { get; init; }

    /// <summary>The budget, as it was when the alert was raised (null for a rate-limit alert).</summary>
    public Budget? Budget { get; init; }

    /// <summary>The session id, project or agent the alert is about; for a rate-limit alert, who hit it, if known.</summary>
    public string? Subject { get; init; }

    /// <summary>The threshold reached, in percent of the limit (threshold alerts).</summary>
    public decimal? Threshold { get; init; }

    /// <summary>Usage in the window when raised, in the budget's unit.</summary>
    public decimal? Used { get; init; }

    /// <summary>The burn rate when raised, in the budget's unit per hour.</summary>
    public decimal? BurnPerHour { get; init; }

    /// <summary>The window the alert is for (a rate-limit alert's ends when the limit resets).</summary>
    public BudgetWindow? Window { get; init; }

    /// <summary>When the limit is reached at the current rate (projected alerts).</summary>
    public DateTimeOffset? ProjectedAt { get; init; }

    /// <summary>The rate-limit hit (rate-limit alerts).</summary>
    public RateLimitHit? RateLimit { get; init; }

    /// <summary>Why the alert was recorded but not sent (e.g. a higher threshold of the same window was sent instead).</summary>
    public string? Suppressed { get; init; }

    /// <summary>What each channel did with it.</summary>
    public IReadOnlyList<AlertDelivery> Deliveries { get; init; } = [];
}
