namespace Tally.Core.Pricing;

/// <summary>
/// A long-context tier over a range of days: when a request's prompt (input + cache writes + cache reads) is
/// strictly greater than <see cref="Threshold"/>, the whole request — output included — is priced at
/// <see cref="Rates"/> instead of the standard row.
/// </summary>
public sealed record LongContextTier : DatedRow
{
    /// <summary>The prompt size, in tokens, that must be exceeded (200,000 for every tier published so far).</summary>
    public required long Threshold { get; init; }

    /// <summary>The prices for the whole request above the threshold, per million tokens.</summary>
    public required TokenRates Rates { get; init; }
}
