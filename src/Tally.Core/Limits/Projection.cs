namespace Tally.Core.Limits;

/// <summary>Where an active window ends up if the current burn rate holds until it resets (ccusage's projection).</summary>
/// <param name="TotalTokens">Tokens at the window's end.</param>
/// <param name="TotalCost">USD at the window's end, to the cent.</param>
/// <param name="RemainingMinutes">Minutes until the window ends.</param>
public sealed record Projection(long TotalTokens, decimal TotalCost, long RemainingMinutes)
{
    /// <summary>The projection of a window with <paramref name="totals"/> so far, burning at <paramref name="rate"/>,
    /// ending at <paramref name="end"/>, seen at <paramref name="now"/>.</summary>
    public static Projection Of(WindowTotals totals, BurnRate rate, DateTimeOffset end, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(rate);
        var minutes = Math.Max(0, (end - now).TotalMinutes);
        var tokens = totals.Tokens.Total + (rate.TokensPerMinute * minutes);
        var cost = totals.CostUsd + (rate.CostPerHour / 60m * (decimal)minutes);
        return new Projection((long)Math.Round(tokens, MidpointRounding.AwayFromZero), Math.Round(cost, 2, MidpointRounding.AwayFromZero), (long)Math.Round(minutes, MidpointRounding.AwayFromZero));
    }
}
