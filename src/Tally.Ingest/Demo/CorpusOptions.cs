namespace Tally.Ingest.Demo;

/// <summary>
/// What <see cref="CorpusGenerator"/> writes. The same options always give byte-identical output.
/// Switches default to the nastiest realistic corpus; turn them off to compare with a peer that mishandles them.
/// </summary>
public sealed record CorpusOptions
{
    /// <summary>The seed of the generator's random sequence.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The last UTC day with activity.</summary>
    public required DateOnly EndDay { get; init; }

    /// <summary>How many days of history, <see cref="EndDay"/> included.</summary>
    public int Days { get; init; } = 42;

    /// <summary>The size to aim at, in bytes; the corpus ends a little above it.</summary>
    public long TargetBytes { get; init; } = 2_000_000;

    /// <summary>How many projects (repositories) the sessions are spread over; some have worktrees.</summary>
    public int Projects { get; init; } = 5;

    /// <summary>A few Sonnet 4.5 (1M-context beta) requests whose prompt exceeds 200,000 tokens.</summary>
    public bool IncludeLongContext { get; init; } = true;

    /// <summary>WebSearch tool calls and <c>usage.server_tool_use.web_search_requests</c> above zero.</summary>
    public bool IncludeWebSearch { get; init; } = true;

    /// <summary>Legacy lines with usage and <c>costUSD</c> but no <c>message.id</c>, each written twice byte for byte.</summary>
    public bool IncludeIdlessDuplicates { get; init; } = true;

    /// <summary>Requests from a model no price catalog knows (<c>claude-unknown-99</c>).</summary>
    public bool IncludeUnknownModel { get; init; } = true;

    /// <summary>
    /// Lines whose <c>cache_creation</c> split is present but all zero while <c>cache_creation_input_tokens</c> is
    /// above zero (lines with the split absent are always written).
    /// </summary>
    public bool IncludeZeroCacheSplit { get; init; } = true;

    /// <summary>A few timestamps with a fraction of 1, 2, 6 or 7 digits instead of milliseconds.</summary>
    public bool IncludeOddTimestampFractions { get; init; } = true;

    /// <summary>A few streamed responses whose lines straddle midnight UTC (the record's day is its first line's).</summary>
    public bool IncludeMidnightStraddles { get; init; } = true;

    /// <summary>
    /// Tool results of a few hundred bytes and no very large lines: several times more calls per byte, for tests of the
    /// index at a million records. Off by default (real transcripts are dominated by tool output).
    /// </summary>
    public bool Lean { get; init; }

    /// <summary>Truncated, blank and non-JSON lines, and a half-written last line in one file. Off by default.</summary>
    public bool IncludeMalformedLines { get; init; }

    /// <summary>
    /// The demo corpus: five projects (with worktrees) over six weeks, about 2 MB, with subagents, resumed sessions,
    /// streamed duplicates, long-context requests and every model family.
    /// </summary>
    /// <param name="endDay">The last day with activity (usually today).</param>
    public static CorpusOptions Demo(DateOnly endDay) => new()
    {
        Seed = 20_261_120,
        EndDay = endDay,
        Days = 42,
        TargetBytes = 2_000_000,
        Projects = 5,
    };

    /// <summary>
    /// A copy with every feature a peer (ccusage 20) is known to count differently turned off: long context,
    /// web search, id-less duplicates, all-zero cache splits, odd timestamp fractions and midnight straddles.
    /// </summary>
    public CorpusOptions WithoutPeerBlindSpots() => this with
    {
        IncludeLongContext = false,
        IncludeWebSearch = false,
        IncludeIdlessDuplicates = false,
        IncludeZeroCacheSplit = false,
        IncludeOddTimestampFractions = false,
        IncludeMidnightStraddles = false,
        IncludeMalformedLines = false,
    };
}
