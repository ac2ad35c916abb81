namespace Tally.Core.Usage;

/// <summary>Where a usage record was seen first: the sources the API's <c>source</c> filter names.</summary>
public enum UsageSource
{
    /// <summary>Claude Code's transcripts (<c>claude_code</c>).</summary>
    ClaudeCode,

    /// <summary>Programmatic calls written to the call log (<c>internal</c>), cloud or local models.</summary>
    Internal,

    /// <summary>Calls metered by Tally's proxy (<c>proxy</c>).</summary>
    Proxy,
}
