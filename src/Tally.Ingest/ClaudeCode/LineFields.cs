using Tally.Core.Usage;

namespace Tally.Ingest.ClaudeCode;

/// <summary>The fields of one transcript line that matter, collected during the parse. A struct on the parser's stack
/// (one per line, passed by reference): a line costs no object for them.</summary>
internal struct LineFields
{
    public string? Uuid { get; set; }
    public string? SessionId { get; set; }
    public string? Cwd { get; set; }
    public string? GitBranch { get; set; }
    public string? AgentId { get; set; }
    public string? Version { get; set; }
    public string? RequestId { get; set; }
    public bool IsSidechain { get; set; }
    public decimal? CostUsd { get; set; }

    /// <summary>The line's last <c>timestamp</c> is there and not null.</summary>
    public bool HasTimestamp { get; set; }

    /// <summary>What the last <c>timestamp</c> was when it is not a date and time (its text, or its JSON type), for the
    /// problem report; null when it parsed (a parsed timestamp keeps no text).</summary>
    public string? TimestampText { get; set; }

    public DateTimeOffset? Timestamp { get; set; }
    public string? MessageId { get; set; }
    public string? Model { get; set; }

    /// <summary>The tool names the response called, in order, without repeats; in the file's one list (see
    /// <see cref="FileStrings.LineTools"/>), so a record copies them.</summary>
    public List<string>? Tools { get; set; }

    public bool HasUsage { get; set; }

    /// <summary>The line's <c>type</c> is <c>assistant</c>: its <c>message</c> is an API response.</summary>
    public bool IsAssistant { get; set; }

    /// <summary>The line's <c>type</c> is <c>system</c>.</summary>
    public bool IsSystem { get; set; }

    /// <summary><c>isApiErrorMessage</c> is true: Claude Code wrote the line for a failed call (limit notices among them).</summary>
    public bool IsApiError { get; set; }

    /// <summary>The first short text (a content block's, or a system line's <c>content</c>) that mentions a limit: a
    /// candidate limit notice.</summary>
    public string? LimitText { get; set; }

    /// <summary>What <c>message</c> was when it was neither an object nor null (an array, a string…).</summary>
    public string? MessageShape { get; set; }

    public long Input { get; set; }
    public long Output { get; set; }
    public long CacheCreation { get; set; }
    public long CacheRead { get; set; }
    public long? Split5m { get; set; }
    public long? Split1h { get; set; }
    public long WebSearch { get; set; }
    public long WebFetch { get; set; }
    public string? ServiceTier { get; set; }
    public string? Speed { get; set; }
    public string? InferenceGeo { get; set; }

    /// <summary>The first wrong type met in a field that matters; the line is reported, not counted.</summary>
    public string? TypeError { get; set; }

    /// <summary>
    /// The tokens, with the cache-write rule: a usable 5m/1h split wins; a flat figure with no split, or with an
    /// all-zero split, counts as 5-minute writes; a flat figure larger than its split keeps the excess as 5-minute
    /// writes. The flat figure is never dropped.
    /// </summary>
    /// <param name="cacheSplitMissing">True when a flat cache-write figure had no usable split.</param>
    public readonly TokenCounts Tokens(out bool cacheSplitMissing) =>
        TokenCounts.FromUsage(Input, Output, CacheCreation, CacheRead, Split5m, Split1h, out cacheSplitMissing);
}
