using Tally.Core.Pricing;

namespace Tally.Core.Usage;

/// <summary>
/// One billed model call, as a source saw it. Its <see cref="Key"/> is the identity every source shares:
/// the API message id when there is one, else the line's uuid, else a hash of the line.
/// </summary>
public sealed record UsageRecord
{
    /// <summary>The record's identity: <c>m:&lt;message id&gt;</c>, <c>u:&lt;uuid&gt;</c> or <c>h:&lt;line hash&gt;</c>.</summary>
    public required string Key { get; init; }

    /// <summary>The API message id (<c>msg_…</c>), when the source had one.</summary>
    public string? MessageId { get; init; }

    /// <summary>The API request id (<c>req_…</c>), when the source had one.</summary>
    public string? RequestId { get; init; }

    /// <summary>The transcript line's uuid, when it had one.</summary>
    public string? Uuid { get; init; }

    /// <summary>When the call was made (UTC).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The Claude Code session the call belongs to (a subagent's calls belong to its parent session).</summary>
    public string? SessionId { get; init; }

    /// <summary>The subagent that made the call, when a subagent did.</summary>
    public string? AgentId { get; init; }

    /// <summary>True for sidechain lines (subagents, <c>/btw</c> replays).</summary>
    public bool IsSidechain { get; init; }

    /// <summary>The working directory the call was made in.</summary>
    public string? Cwd { get; init; }

    /// <summary>The project: the repository the working directory belongs to (worktrees collapsed).</summary>
    public string? Project { get; init; }

    /// <summary>The git branch at the time of the call.</summary>
    public string? GitBranch { get; init; }

    /// <summary>The model id exactly as the source wrote it.</summary>
    public required string Model { get; init; }

    /// <summary>The tokens billed.</summary>
    public required TokenCounts Tokens { get; init; }

    /// <summary>True when the source gave a flat cache-write figure with no usable 5m/1h split (counted as 5-minute writes).</summary>
    public bool CacheSplitMissing { get; init; }

    /// <summary>Web searches made by the server tool.</summary>
    public int WebSearchRequests { get; init; }

    /// <summary>Web fetches made by the server tool (no extra charge).</summary>
    public int WebFetchRequests { get; init; }

    /// <summary><c>usage.service_tier</c>.</summary>
    public string? ServiceTier { get; init; }

    /// <summary><c>usage.speed</c>.</summary>
    public string? Speed { get; init; }

    /// <summary><c>usage.inference_geo</c>.</summary>
    public string? InferenceGeo { get; init; }

    /// <summary>A cost the source itself reported (the transcript's legacy <c>costUSD</c>), when any.</summary>
    public decimal? ReportedCostUsd { get; init; }

    /// <summary>Names of the tools the response called, in order, without repeats.</summary>
    public IReadOnlyList<string> Tools { get; init; } = [];

    /// <summary>The version of the client that wrote the source (Claude Code's <c>version</c>).</summary>
    public string? ClientVersion { get; init; }

    /// <summary>A hash of the source line's bytes; the last tie-break between two sightings of one call.</summary>
    public required ulong ContentHash { get; init; }

    /// <summary>The calculated price, once the record has been priced.</summary>
    public PriceQuote? Price { get; init; }

    /// <summary>The file the record was read from.</summary>
    public string? SourceFile { get; init; }

    /// <summary>The 1-based line number in <see cref="SourceFile"/>.</summary>
    public long SourceLine { get; init; }

    /// <summary>The source that saw the call first (as stored; a source sets its own when it writes a new record).</summary>
    public UsageSource Source { get; init; } = UsageSource.ClaudeCode;

    /// <summary>What the metering proxy saw of the call, when it passed through the proxy.</summary>
    public ProxyCall? Proxy { get; init; }

    /// <summary>The input to the price rules for this record.</summary>
    public PricingRequest ToPricingRequest() => new()
    {
        Model = Model,
        Timestamp = Timestamp,
        Tokens = Tokens,
        WebSearchRequests = WebSearchRequests,
        ServiceTier = ServiceTier,
        Speed = Speed,
        InferenceGeo = InferenceGeo,
    };
}
