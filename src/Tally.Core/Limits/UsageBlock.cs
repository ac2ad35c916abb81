namespace Tally.Core.Limits;

/// <summary>
/// A window of usage: a 5-hour block as ccusage cuts them (or as an observed signal pins it down), or a gap between
/// blocks. Field meanings follow ccusage's <c>blocks --json</c>.
/// </summary>
public sealed record UsageBlock
{
    /// <summary><c>startTime</c> as ISO-8601, or <c>gap-&lt;startTime&gt;</c> for a gap.</summary>
    public required string Id { get; init; }

    /// <summary>When the block starts.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>When the block ends (resets).</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>The block's first call (null for a gap).</summary>
    public DateTimeOffset? FirstEntry { get; init; }

    /// <summary>The block's last call (ccusage's <c>actualEndTime</c>; null for a gap).</summary>
    public DateTimeOffset? ActualEnd { get; init; }

    /// <summary>True while the block is current: its last call is less than a block length ago and it has not ended.</summary>
    public bool IsActive { get; init; }

    /// <summary>True for a gap: idle time longer than a block between two blocks.</summary>
    public bool IsGap { get; init; }

    /// <summary>The block's sums.</summary>
    public WindowTotals Totals { get; init; } = WindowTotals.Empty;

    /// <summary>Each model's share, in order of first use.</summary>
    public IReadOnlyList<ModelUsage> Models { get; init; } = [];

    /// <summary>The kind of signal that placed the block's start and reset; null when they are ccusage's estimate (the
    /// first call's hour, plus the block length).</summary>
    public SignalKind? AnchoredBy { get; init; }

    /// <summary>The reset time of a limit hit inside the block (a limit line), as ccusage's <c>usageLimitResetTime</c>.</summary>
    public DateTimeOffset? LimitResetAt { get; init; }

    /// <summary>The burn rate, for an active block with calls spanning some time.</summary>
    public BurnRate? BurnRate { get; init; }

    /// <summary>Where the active block ends up at its current burn rate.</summary>
    public Projection? Projection { get; init; }
}
