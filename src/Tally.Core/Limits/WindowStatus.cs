namespace Tally.Core.Limits;

/// <summary>One plan window as <c>tally limits</c> shows it: every figure with where it came from.</summary>
public sealed record WindowStatus
{
    /// <summary>The window kind.</summary>
    public required WindowKind Kind { get; init; }

    /// <summary>The model family of a model window.</summary>
    public string? Model { get; init; }

    /// <summary>When the current window started (null: no current window, or not known).</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>When it resets (null: not known).</summary>
    public DateTimeOffset? ResetsAt { get; init; }

    /// <summary>Where <see cref="Start"/> and <see cref="ResetsAt"/> came from.</summary>
    public Provenance ResetSource { get; init; }

    /// <summary>Time left until the reset.</summary>
    public TimeSpan? TimeToReset { get; init; }

    /// <summary>What this machine's transcripts used in the window so far (counted in the index).</summary>
    public WindowTotals Used { get; init; } = WindowTotals.Empty;

    /// <summary>Opus messages in the window.</summary>
    public long OpusMessages { get; init; }

    /// <summary>What the window allows, in USD at API prices (null: not known).</summary>
    public decimal? LimitUsd { get; init; }

    /// <summary>Where <see cref="LimitUsd"/> came from: the plan file, history, or observed signals (calibrated).</summary>
    public Provenance LimitSource { get; init; }

    /// <summary>How many windows or signals the limit was learned from (0 for a plan figure).</summary>
    public int LimitSamples { get; init; }

    /// <summary>How much of the window is used, in percent (null: not known).</summary>
    public decimal? Utilisation { get; init; }

    /// <summary>Where <see cref="Utilisation"/> came from.</summary>
    public Provenance UtilisationSource { get; init; }

    /// <summary>When the observed utilisation was last seen (for an observed source).</summary>
    public DateTimeOffset? ObservedAt { get; init; }

    /// <summary>The observed utilisation as it was reported, before usage since it was added.</summary>
    public decimal? ObservedUtilisation { get; init; }

    /// <summary>True when Claude Code cannot use this window now (a limit hit whose reset is ahead, or 100% observed).</summary>
    public bool Blocked { get; init; }

    /// <summary>Percent left before the limit: 0 whenever Claude Code is blocked (by this window or an overall one);
    /// null when not known.</summary>
    public decimal? Headroom { get; init; }

    /// <summary>When the limit would be reached at the current burn rate (an estimate; null when it cannot be worked out).</summary>
    public DateTimeOffset? ProjectedLimitAt { get; init; }

    /// <summary>True when <see cref="ProjectedLimitAt"/> comes before the reset.</summary>
    public bool LimitBeforeReset { get; init; }

    /// <summary>What a reader should know about these figures (why one is unknown, what blocks it).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
