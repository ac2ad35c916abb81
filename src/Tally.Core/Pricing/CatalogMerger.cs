namespace Tally.Core.Pricing;

/// <summary>Lays an override catalog over a base catalog (see <see cref="PriceCatalog.Merge"/>).</summary>
internal static class CatalogMerger
{
    public static PriceCatalog Merge(PriceCatalog baseCatalog, PriceCatalog overrides)
    {
        ArgumentNullException.ThrowIfNull(baseCatalog);
        ArgumentNullException.ThrowIfNull(overrides);

        Dictionary<string, ModelPricing> merged = new(StringComparer.OrdinalIgnoreCase);
        foreach (ModelPricing model in baseCatalog.Models)
        {
            merged[model.Id] = model;
        }

        // Overrides named by one of the base's aliases first, exact ids last: when both forms of one model are given
        // (LiteLLM often lists "claude-sonnet-4-5" and "claude-sonnet-4-5-20250929"), the exact id wins.
        IEnumerable<(ModelPricing Override, string Target)> targets = overrides.Models
            .Select(o => (Override: o, Target: baseCatalog.Lookup(o.Id)?.Id ?? o.Id))
            .OrderBy(t => string.Equals(t.Override.Id, t.Target, StringComparison.OrdinalIgnoreCase) ? 1 : 0)
            .ThenBy(t => t.Override.Id, StringComparer.Ordinal);
        foreach ((ModelPricing over, string target) in targets)
        {
            merged[target] = merged.TryGetValue(target, out ModelPricing? existing) ? MergeModel(existing, over) : over;
        }

        return new PriceCatalog(
            baseCatalog.Name,
            overrides.AsOf is { } asOf && (baseCatalog.AsOf is null || asOf > baseCatalog.AsOf) ? asOf : baseCatalog.AsOf,
            merged.Values,
            DatedRows.Overlay(baseCatalog.WebSearchFees, overrides.WebSearchFees),
            DatedRows.Overlay(baseCatalog.BatchMultipliers, overrides.BatchMultipliers));
    }

    private static ModelPricing MergeModel(ModelPricing existing, ModelPricing over)
    {
        IEnumerable<string> aliases = existing.Aliases.Concat(over.Aliases);
        if (!string.Equals(over.Id, existing.Id, StringComparison.OrdinalIgnoreCase))
        {
            aliases = aliases.Append(over.Id);
        }

        PriceRow[] prices = [.. over.Prices.Select(row => FillCachePrices(row, existing.Prices, static r => r.Rates, static (r, rates) => r with { Rates = rates }))];
        LongContextTier[] tiers = [.. over.LongContext.Select(row => FillCachePrices(row, existing.LongContext, static r => r.Rates, static (r, rates) => r with { Rates = rates }))];
        return existing with
        {
            Aliases = [.. aliases.Distinct(StringComparer.OrdinalIgnoreCase).Where(a => !string.Equals(a, existing.Id, StringComparison.OrdinalIgnoreCase))],
            Prices = DatedRows.Overlay(existing.Prices, prices),
            LongContext = DatedRows.Overlay(existing.LongContext, tiers),
            FastMode = DatedRows.Overlay(existing.FastMode, over.FastMode),
            DataResidency = DatedRows.Overlay(existing.DataResidency, over.DataResidency),
            RegionalEndpoint = DatedRows.Overlay(existing.RegionalEndpoint, over.RegionalEndpoint),
            MaxInputTokens = over.MaxInputTokens ?? existing.MaxInputTokens,
            Source = over.Source ?? existing.Source,
            AsOf = over.AsOf ?? existing.AsOf,
            Note = over.Note ?? existing.Note,
        };
    }

    /// <summary>
    /// An override row lacking a cache price (LiteLLM never has the 1-hour one) keeps the base row's published price
    /// when both agree on the input price; otherwise the missing price stays derived from the new input price.
    /// </summary>
    private static T FillCachePrices<T>(T row, IReadOnlyList<T> baseRows, Func<T, TokenRates> rates, Func<T, TokenRates, T> withRates)
        where T : DatedRow
    {
        TokenRates mine = rates(row);
        if (mine.CacheWrite5m is not null && mine.CacheWrite1h is not null && mine.CacheRead is not null)
        {
            return row;
        }

        T? counterpart = DatedRows.Counterpart(baseRows, row.Start, row.End);
        return counterpart is not null && rates(counterpart).Input == mine.Input
            ? withRates(row, mine.FillFrom(rates(counterpart)))
            : row;
    }
}
