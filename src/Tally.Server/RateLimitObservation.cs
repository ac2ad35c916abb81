namespace Tally.Server;

/// <summary>
/// One rate-limit reading: how much of one limit was left for a model or an account at one moment, and where the
/// reading came from (e.g. the proxy's view of a response's rate-limit headers).
/// </summary>
public sealed record RateLimitObservation
{
    /// <summary>True for an account-wide limit (subscription or organization), false for a per-model one.</summary>
    public bool Account { get; init; }

    /// <summary>The model id, or the account's name or fingerprint (never a key or token).</summary>
    public required string Subject { get; init; }

    /// <summary>Which limit: <c>requests</c>, <c>input_tokens</c>, <c>output_tokens</c>, <c>tokens</c>, <c>5h</c>, <c>7d</c>…</summary>
    public required string Limit { get; init; }

    /// <summary>The limit's size, when the signal says.</summary>
    public long? Maximum { get; init; }

    /// <summary>What was left, when the signal says.</summary>
    public long? Remaining { get; init; }

    /// <summary>The fraction used (0–1), for signals that give a utilisation instead of counts.</summary>
    public decimal? Utilization { get; init; }

    /// <summary>When the limit resets, when known.</summary>
    public DateTimeOffset? ResetsAt { get; init; }

    /// <summary>When the reading was made.</summary>
    public required DateTimeOffset ObservedAt { get; init; }

    /// <summary>Where the reading came from (e.g. <c>proxy</c>, <c>statusline</c>).</summary>
    public required string Signal { get; init; }

    /// <summary>The fraction left (0–1): remaining / maximum, else 1 − utilisation; null when the reading says neither.</summary>
    public decimal? Headroom => Maximum is > 0 && Remaining is { } left
        ? Math.Clamp((decimal)left / Maximum.Value, 0m, 1m)
        : Utilization is { } used ? Math.Clamp(1m - used, 0m, 1m) : null;
}

/// <summary>The rate-limit readings Tally has observed (the proxy and the status line will provide them).</summary>
public interface IRateLimitSignals
{
    /// <summary>The latest readings, any number per model and account.</summary>
    Task<IReadOnlyList<RateLimitObservation>> ReadAsync(CancellationToken cancellationToken);
}
