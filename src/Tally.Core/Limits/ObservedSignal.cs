namespace Tally.Core.Limits;

/// <summary>
/// One observation of a plan limit: a limit hit in a transcript, a status-line render's <c>rate_limits</c>, or (later)
/// a proxied response's headers. Its <see cref="Key"/> makes recording it idempotent: the same observation recorded
/// again (a re-sync, a repeated render) is one signal.
/// </summary>
public sealed record ObservedSignal
{
    /// <summary>The observation's identity (e.g. <c>limit:&lt;line uuid&gt;</c>, <c>status:5h:&lt;reset&gt;:&lt;percent&gt;</c>).</summary>
    public required string Key { get; init; }

    /// <summary>Where it came from.</summary>
    public required SignalKind Kind { get; init; }

    /// <summary>The window it is about.</summary>
    public required WindowKind Window { get; init; }

    /// <summary>The model family (<c>opus</c>, <c>sonnet</c>) of a <see cref="WindowKind.Model"/> window.</summary>
    public string? Model { get; init; }

    /// <summary>How much of the window was used, in percent (0–100; a limit hit is 100), when the source said.</summary>
    public decimal? Utilisation { get; init; }

    /// <summary>When the window resets, when the source said.</summary>
    public DateTimeOffset? ResetsAt { get; init; }

    /// <summary>When it was first observed (a limit line: the line's time).</summary>
    public required DateTimeOffset ObservedAt { get; init; }

    /// <summary>When it was last observed (a status line repeats the same figures on every render).</summary>
    public DateTimeOffset? LastObservedAt { get; init; }

    /// <summary>Where exactly: a transcript's file and line, or the session whose status line reported it.</summary>
    public string? Source { get; init; }

    /// <summary>The latest time it was seen.</summary>
    public DateTimeOffset LatestObservation => LastObservedAt is { } last && last > ObservedAt ? last : ObservedAt;
}
