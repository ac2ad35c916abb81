using Tally.Core.Usage;

namespace Tally.Bench.Truth;

/// <summary>One API call as the scanner found it: its final usage, when its lines started and ended, and its quirks.</summary>
internal sealed class ScannedCall
{
    public required string Key { get; init; }

    public required string Model { get; init; }

    public required DateTimeOffset First { get; set; }

    public required DateTimeOffset Last { get; set; }

    public TokenCounts Tokens { get; set; }

    public int WebSearches { get; set; }

    public string? ServiceTier { get; set; }

    public string? Speed { get; set; }

    public string? InferenceGeo { get; set; }

    /// <summary>A <c>cache_creation</c> split of zeros beside a non-zero <c>cache_creation_input_tokens</c>.</summary>
    public bool ZeroSplit { get; set; }

    /// <summary>Written without <c>message.id</c> (a legacy line); <see cref="Copies"/> says how often.</summary>
    public bool IsIdless { get; init; }

    /// <summary>How many byte-identical lines an id-less call was written as.</summary>
    public int Copies { get; set; } = 1;

    /// <summary>The <c>costUSD</c> an id-less legacy line carries.</summary>
    public decimal? CostUsd { get; set; }

    /// <summary>Lines of this call whose timestamp has a fraction other than none or milliseconds.</summary>
    public int OddFractionLines { get; set; }

    /// <summary>
    /// The final usage among the lines whose timestamp has no fraction or milliseconds, or null when there is none:
    /// what a reader that skips other timestamp forms (ccusage 20 does) ends up with.
    /// </summary>
    public TokenCounts? StrictTokens { get; set; }

    public DateOnly Day => DateOnly.FromDateTime(First.UtcDateTime);

    /// <summary>The streamed lines straddle midnight UTC: the first on <see cref="Day"/>, the last on a later day.</summary>
    public bool Straddles => DateOnly.FromDateTime(Last.UtcDateTime) != Day;
}
