namespace Tally.Core.Alerts;

/// <summary>One observed rate-limit hit, as the limits code or the proxy reports it.</summary>
public sealed record RateLimitHit
{
    /// <summary>Where it was seen.</summary>
    public required RateLimitSource Source { get; init; }

    /// <summary>Which limit: <c>five-hour</c>, <c>weekly</c>, <c>opus</c>, or null when the signal does not say.</summary>
    public string? Window { get; init; }

    /// <summary>When it was seen (the limit line's or the response's time).</summary>
    public required DateTimeOffset ObservedAt { get; init; }

    /// <summary>When the limit resets, when the signal says.</summary>
    public DateTimeOffset? ResetsAt { get; init; }

    /// <summary>The session, agent or account that hit it, when known.</summary>
    public string? Subject { get; init; }

    /// <summary>The signal's own text (e.g. the limit line's message), when any.</summary>
    public string? Detail { get; init; }
}
