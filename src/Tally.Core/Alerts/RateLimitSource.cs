namespace Tally.Core.Alerts;

/// <summary>Where a rate-limit hit was seen.</summary>
public enum RateLimitSource
{
    /// <summary>A "limit reached" line in a Claude Code transcript.</summary>
    LimitLine = 0,

    /// <summary>An HTTP 429 answer seen by the metering proxy.</summary>
    Http429 = 1,

    /// <summary>Claude Code's status-line <c>rate_limits</c> at 100%.</summary>
    StatusLine = 2,
}
