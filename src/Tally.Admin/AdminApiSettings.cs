namespace Tally.Admin;

/// <summary>How to reach the Admin API and how patiently to retry it.</summary>
public sealed record AdminApiSettings
{
    /// <summary>Anthropic's API.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.anthropic.com/");

    /// <summary>The API's root (tests point it at a loopback server).</summary>
    public Uri BaseUrl { get; init; } = DefaultBaseUrl;

    /// <summary>The admin key (<c>sk-ant-admin…</c>). Sent in <c>x-api-key</c>; never logged, stored or printed.</summary>
    public required string Key { get; init; }

    /// <summary>How long one request may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many times a request is tried in all (429, 5xx, timeouts and lost connections are retried).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The longest wait before a retry (a longer <c>retry-after</c> ends the sync with a message instead).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>The first backoff step (doubled each retry, with full jitter) when the answer names no <c>retry-after</c>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Waits before a retry (tests record the waits instead of sleeping).</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = static (delay, token) => Task.Delay(delay, token);

    /// <summary>A uniform random number in [0, 1) for jitter.</summary>
    public Func<double> Jitter { get; init; } = static () => Random.Shared.NextDouble();
}
