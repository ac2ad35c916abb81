namespace Tally.Core.Pricing;

/// <summary>The web-search server tool's fee over a range of days; added after every multiplier, never multiplied.</summary>
public sealed record WebSearchFee : DatedRow
{
    /// <summary>US dollars per 1,000 searches.</summary>
    public required decimal UsdPer1000 { get; init; }
}
