namespace Tally.Core.Limits;

/// <summary>Where a figure about plan limits came from. Every number <c>tally limits</c> shows carries one.</summary>
public enum Provenance
{
    /// <summary>Worked out from the index (history), with no observed signal behind it: an estimate.</summary>
    Estimate = 0,

    /// <summary>From the plan file (published approximations, or the user's own figure): an estimate.</summary>
    Plan = 1,

    /// <summary>Learned from the user's own history of 5-hour blocks: an estimate.</summary>
    History = 2,

    /// <summary>A "limit reached" line in a transcript.</summary>
    LimitLine = 3,

    /// <summary>Claude Code's status-line <c>rate_limits</c>.</summary>
    StatusLine = 4,

    /// <summary>The rate-limit headers of a subscription response (seen by the proxy).</summary>
    Header = 5,

    /// <summary>Counted in the index (messages, cost): exact for this machine's transcripts.</summary>
    Index = 6,
}
