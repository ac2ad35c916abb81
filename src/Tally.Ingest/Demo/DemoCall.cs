using Tally.Core.Usage;

namespace Tally.Ingest.Demo;

/// <summary>How a call's cache write is split between the 5-minute and 1-hour caches in its <c>usage</c>.</summary>
internal enum CacheSplit
{
    OneHour,
    FiveMinute,

    /// <summary>No <c>cache_creation</c> object (older Claude Code versions).</summary>
    Absent,

    /// <summary>A <c>cache_creation</c> object of zeros while <c>cache_creation_input_tokens</c> is above zero.</summary>
    Zero,
}

internal enum BlockKind
{
    Thinking,
    Text,
    ToolUse,
}

/// <summary>One content block of a response; Claude Code writes each on its own line.
/// <see cref="Id"/> is the tool_use id, or a thinking block's signature.</summary>
internal sealed record DemoBlock(BlockKind Kind, string Text, string? ToolName = null, string? Id = null,
    IReadOnlyList<KeyValuePair<string, string>>? Input = null);

/// <summary>One API call: its ids, final usage and content blocks.</summary>
internal sealed class DemoCall
{
    public required string MessageId { get; init; }

    public required string RequestId { get; init; }

    public required string Model { get; init; }

    public long Input { get; set; }

    public long CacheWrite { get; set; }

    public long CacheRead { get; set; }

    public long Output { get; set; }

    public CacheSplit Split { get; set; }

    public int WebSearches { get; set; }

    /// <summary>Whether <c>usage.server_tool_use</c> is written (with zeros when no search was made).</summary>
    public bool WriteServerToolUse { get; set; }

    /// <summary><c>usage.inference_geo</c>, written by Claude Code 2.1 and later.</summary>
    public string? InferenceGeo { get; set; }

    /// <summary>Written as one legacy line without <c>message.id</c> or <c>requestId</c>, twice byte for byte.</summary>
    public bool IsIdless { get; init; }

    public List<DemoBlock> Blocks { get; } = [];

    public long Prompt => Input + CacheWrite + CacheRead;

    /// <summary>The tokens a correct ingester books: an unusable split counts as 5-minute writes.</summary>
    public TokenCounts Tokens => Split == CacheSplit.OneHour
        ? new TokenCounts(Input, Output, 0, CacheWrite, CacheRead)
        : new TokenCounts(Input, Output, CacheWrite, 0, CacheRead);

    public IEnumerable<DemoBlock> ToolUses => Blocks.Where(static b => b.Kind == BlockKind.ToolUse);
}
