namespace Tally.Core.Limits;

/// <summary>Plan usage now: the 5-hour, weekly and model windows, today's messages, the burn rate, and whether Claude
/// Code is blocked.</summary>
public sealed record LimitsReport
{
    /// <summary>The instant the report is for.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>The plan the estimates come from.</summary>
    public required Plan Plan { get; init; }

    /// <summary>True when Claude Code is blocked by its 5-hour or weekly limit (all models).</summary>
    public bool Blocked { get; init; }

    /// <summary>When the block lifts (null: not known).</summary>
    public DateTimeOffset? BlockedUntil { get; init; }

    /// <summary>The window that blocks.</summary>
    public WindowKind? BlockedBy { get; init; }

    /// <summary>The windows: 5-hour, weekly, then each model window.</summary>
    public IReadOnlyList<WindowStatus> Windows { get; init; } = [];

    /// <summary>Today's usage (in the report's time zone).</summary>
    public WindowTotals Today { get; init; } = WindowTotals.Empty;

    /// <summary>Today's Opus messages.</summary>
    public long OpusMessagesToday { get; init; }

    /// <summary>The first instant of today.</summary>
    public DateTimeOffset TodayStart { get; init; }

    /// <summary>The active block's burn rate (null: no active block, or one call only).</summary>
    public BurnRate? BurnRate { get; init; }

    /// <summary>The active 5-hour block.</summary>
    public UsageBlock? ActiveBlock { get; init; }
}
