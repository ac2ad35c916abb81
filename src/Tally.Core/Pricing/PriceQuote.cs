namespace Tally.Core.Pricing;

/// <summary>The price of one call and how it was reached.</summary>
/// <param name="CostUsd">The cost in US dollars (0 when unpriced or free).</param>
/// <param name="Status">Whether the catalog priced it.</param>
/// <param name="CatalogModel">The catalog's canonical model id that priced it, when one did.</param>
/// <param name="LongContext">True when the whole request was re-priced at the long-context tier.</param>
/// <param name="CatalogVersion">The version of the catalog (embedded plus overrides) that produced this figure.</param>
public sealed record PriceQuote(decimal CostUsd, PriceStatus Status, string? CatalogModel, bool LongContext, string CatalogVersion);
