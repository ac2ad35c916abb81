namespace Tally.Alerts;

/// <summary>Where alerts are POSTed, and how hard to try. Every bound holds together: whichever is reached first ends
/// the delivery.</summary>
public sealed record WebhookOptions
{
    /// <summary>The URL (http or https). It may hold a secret (many chat webhooks do): it is never printed, logged or
    /// stored; messages name only its host.</summary>
    public required Uri Url { get; init; }

    /// <summary>The most attempts in all (the first and the retries).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The most time for all attempts and the waits between them; no attempt starts after it.</summary>
    public TimeSpan MaxTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The wait before the first retry, doubled for each next one (with jitter).</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between two attempts (a server's <c>Retry-After</c> is honoured up to it).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(4);
}
