namespace Tally.Core.Limits;

/// <summary>
/// One rate-limit response header as the metering proxy last saw it for one account: every
/// <c>anthropic-ratelimit-*</c>, <c>anthropic-priority-*</c> and <c>retry-after</c> header is kept by name, so headers
/// Tally does not know yet are not lost.
/// </summary>
public sealed record RateLimitHeader
{
    /// <summary>The account's salted fingerprint (never the credential); empty when the request carried none.</summary>
    public required string Account { get; init; }

    /// <summary>The header's name, lower case.</summary>
    public required string Name { get; init; }

    /// <summary>The header's value as sent.</summary>
    public required string Value { get; init; }

    /// <summary>When the response carrying it arrived.</summary>
    public required DateTimeOffset ObservedAt { get; init; }

    /// <summary>The HTTP status of the response carrying it.</summary>
    public int Status { get; init; }
}
