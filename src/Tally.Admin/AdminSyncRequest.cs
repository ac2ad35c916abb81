namespace Tally.Admin;

/// <summary>What <c>tally admin sync</c> was asked for.</summary>
public sealed record AdminSyncRequest
{
    /// <summary>First UTC day to fetch (default: where the last sync was complete, less the trailing window; 30 days on a
    /// first sync).</summary>
    public DateOnly? Since { get; init; }

    /// <summary>Last UTC day to fetch (default: up to now).</summary>
    public DateOnly? Until { get; init; }

    /// <summary>Whether to fetch the ungrouped totals and check the grouped rows against them (on by default).</summary>
    public bool Check { get; init; } = true;

    /// <summary>Whether to fetch the Claude Code analytics report (one request per day).</summary>
    public bool ClaudeCode { get; init; } = true;
}
