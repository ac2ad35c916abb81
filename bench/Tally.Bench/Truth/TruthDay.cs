using Tally.Bench.Reports;

namespace Tally.Bench.Truth;

/// <summary>
/// The ground truth for one UTC day, priced with Tally's embedded catalog by the per-request formula (a line's own
/// <c>costUSD</c> winning, as in cost mode "auto"), and the
/// quirks of that day's calls that a peer is known to count differently.
/// </summary>
internal sealed class TruthDay(DateOnly day)
{
    public DateOnly Day { get; } = day;

    public string Date => Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public Tokens4 Tokens { get; set; }

    public decimal Cost { get; set; }

    public int Requests { get; set; }

    public SortedDictionary<string, (Tokens4 Tokens, decimal Cost)> Models { get; } = new(StringComparer.Ordinal);

    public int LongContext { get; set; }

    /// <summary>What the whole-request long-context rule adds over standard rates for this day's long requests.</summary>
    public decimal LongContextPremium { get; set; }

    public int WebSearches { get; set; }

    public decimal WebSearchFee { get; set; }

    public int IdlessCalls { get; set; }

    /// <summary>Id-less lines beyond the first copy of each (a tool that keeps them all counts these again).</summary>
    public int IdlessExtraCopies { get; set; }

    public Tokens4 IdlessExtraTokens { get; set; }

    /// <summary>The <c>costUSD</c> of the extra copies (what a tool that keeps every copy books on top, in "auto" mode).</summary>
    public decimal IdlessExtraCostUsd { get; set; }

    /// <summary>What the id-less calls cost once each in "auto" mode: their lines' <c>costUSD</c>.</summary>
    public decimal IdlessCost { get; set; }

    /// <summary>What the catalog would charge for the id-less calls (cost mode "calculate").</summary>
    public decimal IdlessCatalogCost { get; set; }

    public int ZeroSplitCalls { get; set; }

    public long ZeroSplitCacheTokens { get; set; }

    public decimal ZeroSplitCost { get; set; }

    /// <summary>Calls that start on this day and end on a later one (streamed across midnight UTC).</summary>
    public int StraddlesOut { get; set; }

    public Tokens4 StraddleTokensOut { get; set; }

    public decimal StraddleCostOut { get; set; }

    public int OddFractionLines { get; set; }

    /// <summary>What skipping the odd-fraction lines changes: the usage of the remaining lines minus the truth.</summary>
    public Tokens4 OddFractionTokens { get; set; }

    public decimal OddFractionCost { get; set; }

    public int UnknownCalls { get; set; }

    public Tokens4 UnknownTokens { get; set; }

    public SortedSet<string> UnknownModels { get; } = new(StringComparer.Ordinal);
}
