using Tally.Core.Usage;

namespace Tally.Core.Pricing;

/// <summary>
/// Prices in US dollars per million tokens. A cache price left <see langword="null"/> was not published and is
/// derived from <see cref="Input"/> (5-minute write 1.25x, 1-hour write 2x, read 0.1x); a published price always wins,
/// even where it differs from the multiplier by rounding.
/// </summary>
/// <param name="Input">Uncached input, per million tokens.</param>
/// <param name="Output">Output, per million tokens.</param>
/// <param name="CacheWrite5m">5-minute cache writes as published, or <see langword="null"/> to derive.</param>
/// <param name="CacheWrite1h">1-hour cache writes as published, or <see langword="null"/> to derive.</param>
/// <param name="CacheRead">Cache reads as published, or <see langword="null"/> to derive.</param>
public sealed record TokenRates(
    decimal Input,
    decimal Output,
    decimal? CacheWrite5m = null,
    decimal? CacheWrite1h = null,
    decimal? CacheRead = null)
{
    /// <summary>The 5-minute cache-write price in force: the published one, else 1.25x input.</summary>
    public decimal EffectiveCacheWrite5m => CacheWrite5m ?? (Input * 1.25m);

    /// <summary>The 1-hour cache-write price in force: the published one, else 2x input.</summary>
    public decimal EffectiveCacheWrite1h => CacheWrite1h ?? (Input * 2m);

    /// <summary>The cache-read price in force: the published one, else 0.1x input.</summary>
    public decimal EffectiveCacheRead => CacheRead ?? (Input * 0.1m);

    /// <summary>The cost in dollars of <paramref name="tokens"/> at these rates, before any multiplier.</summary>
    internal decimal CostOf(TokenCounts tokens)
    {
        decimal perMillion = (tokens.Input * Input)
            + (tokens.CacheWrite5m * EffectiveCacheWrite5m)
            + (tokens.CacheWrite1h * EffectiveCacheWrite1h)
            + (tokens.CacheRead * EffectiveCacheRead)
            + (tokens.Output * Output);
        return perMillion / 1_000_000m;
    }

    /// <summary>These rates with each unpublished cache price taken from <paramref name="fallback"/>.</summary>
    internal TokenRates FillFrom(TokenRates fallback) => this with
    {
        CacheWrite5m = CacheWrite5m ?? fallback.CacheWrite5m,
        CacheWrite1h = CacheWrite1h ?? fallback.CacheWrite1h,
        CacheRead = CacheRead ?? fallback.CacheRead,
    };
}
