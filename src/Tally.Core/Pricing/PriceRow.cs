namespace Tally.Core.Pricing;

/// <summary>A model's standard prices over a range of days.</summary>
public sealed record PriceRow : DatedRow
{
    /// <summary>The prices, per million tokens.</summary>
    public required TokenRates Rates { get; init; }
}
