namespace Tally.Cli.Tests;

/// <summary>
/// The sample's calls priced by hand from reference/pricing.md (USD per million tokens), so every expected cost in
/// these tests can be checked against the reference line by line.
/// </summary>
internal static class Prices
{
    /// <summary>Web search: $10 per 1,000.</summary>
    public const decimal WebSearch = 0.01m;

    // acme-api 5f0c, 2026-11-20 (UTC).

    /// <summary>Sonnet 4.5, streamed twice (the final line counts): 3 in, 12,000 5m writes, 15,000 reads, 412 out.</summary>
    public static readonly decimal SonnetStreamed = M(3, 3) + M(12_000, 3.75m) + M(15_000, 0.30m) + M(412, 15);

    /// <summary>Sonnet 4.5: 6 in, 2,000 1h writes, 27,000 reads, 950 out.</summary>
    public static readonly decimal SonnetSecond = M(6, 3) + M(2_000, 6) + M(27_000, 0.30m) + M(950, 15);

    /// <summary>Sonnet 4, prompt 5 + 210,000 = 210,005 &gt; 200,000: the whole request at $6 / $22.50 (read $0.60).</summary>
    public static readonly decimal SonnetLongContext = M(5, 6) + M(210_000, 0.60m) + M(1_200, 22.50m);

    /// <summary>The legacy id-less Sonnet 4 line (written twice, counted once), priced by the catalog: 100 in, 200 out.</summary>
    public static readonly decimal LegacyCalculated = M(100, 3) + M(200, 15);

    /// <summary>The legacy line's own <c>costUSD</c>.</summary>
    public const decimal LegacyReported = 0.05m;

    /// <summary>The subagent's Haiku 4.5 call: 10 in, 5,000 5m writes, 300 out.</summary>
    public static readonly decimal SubagentHaiku = M(10, 1) + M(5_000, 1.25m) + M(300, 5);

    // blog, 2026-11-18 (UTC).

    /// <summary>Opus 4.1: 12 in, 3,000 5m writes, 8,000 reads, 700 out, and 2 web searches.</summary>
    public static readonly decimal OpusFirst = M(12, 15) + M(3_000, 18.75m) + M(8_000, 1.50m) + M(700, 75) + (2 * WebSearch);

    /// <summary>Opus 4.1: 4 in, 11,000 reads, 150 out (replayed verbatim in c3d4: counted once).</summary>
    public static readonly decimal OpusSecond = M(4, 15) + M(11_000, 1.50m) + M(150, 75);

    /// <summary>claude-unknown-99: no price, never guessed.</summary>
    public const decimal Unknown = 0m;

    /// <summary><paramref name="tokens"/> at <paramref name="usdPerMillion"/>.</summary>
    public static decimal M(decimal tokens, decimal usdPerMillion) => tokens * usdPerMillion / 1_000_000m;
}
