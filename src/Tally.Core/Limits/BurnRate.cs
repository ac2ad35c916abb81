namespace Tally.Core.Limits;

/// <summary>How fast a window is being used, from its first call to its last (ccusage's burn rate).</summary>
/// <param name="TokensPerMinute">All tokens (cache included) per minute.</param>
/// <param name="TokensPerMinuteForIndicator">Input and output tokens per minute (what ccusage's indicator shows).</param>
/// <param name="CostPerHour">USD per hour.</param>
public sealed record BurnRate(double TokensPerMinute, double TokensPerMinuteForIndicator, decimal CostPerHour)
{
    /// <summary>The rate of a window whose calls ran from <paramref name="first"/> to <paramref name="last"/>; null when
    /// they span no time.</summary>
    public static BurnRate? Of(WindowTotals totals, DateTimeOffset first, DateTimeOffset last)
    {
        ArgumentNullException.ThrowIfNull(totals);
        var minutes = (last - first).TotalMinutes;
        if (minutes <= 0)
        {
            return null;
        }

        return new BurnRate(
            totals.Tokens.Total / minutes,
            (totals.Tokens.Input + totals.Tokens.Output) / minutes,
            totals.CostUsd * 60m / (decimal)minutes);
    }
}
