using Tally.Core.Pricing;

namespace Tally.Core.Tests.Pricing;

public class MergeTests
{
    private static readonly PriceCatalog Embedded = PriceCatalog.Embedded;

    [Fact]
    public void An_override_row_wins_and_changes_the_version()
    {
        PriceCatalog merged = Embedded.Merge(Requests.Catalog("""
            {"version": "mine", "models": [{"id": "claude-opus-4-6", "prices": [{"input": 6, "output": 30}]}]}
            """));

        PriceQuote quote = merged.Price(Requests.On("claude-opus-4-6", "2026-06-01", input: 1_000_000, output: 1_000_000));
        Assert.Equal(36m, quote.CostUsd);
        Assert.Equal(merged.Version, quote.CatalogVersion);
        Assert.NotEqual(Embedded.Version, merged.Version);
        Assert.Equal(Embedded.Name, merged.Name);
        Assert.StartsWith(Embedded.Name + "+", merged.Version, StringComparison.Ordinal);

        // Deterministic: the same merge gives the same version.
        PriceCatalog again = Embedded.Merge(Requests.Catalog("""
            {"version": "other name", "models": [{"id": "claude-opus-4-6", "prices": [{"input": 6.00, "output": 30.0}]}]}
            """));
        Assert.Equal(merged.Version, again.Version);
    }

    [Fact]
    public void An_override_that_changes_no_price_keeps_the_version()
    {
        PriceCatalog merged = Embedded.Merge(Requests.Catalog("""
            {"version": "same", "models": [{"id": "claude-opus-4-6", "note": "checked again",
              "prices": [{"input": 5, "output": 25, "cacheWrite5m": 6.25, "cacheWrite1h": 10, "cacheRead": 0.5, "source": "me"}]}]}
            """));
        Assert.Equal(Embedded.Version, merged.Version);
    }

    [Fact]
    public void An_override_row_wins_only_for_its_own_days()
    {
        PriceCatalog merged = Embedded.Merge(Requests.Catalog("""
            {"version": "mine", "models": [{"id": "claude-sonnet-5", "prices": [{"from": "2026-09-01", "input": 3, "output": 15}]}]}
            """));

        Assert.Equal(2m, merged.Price(Requests.On("claude-sonnet-5", "2026-08-31", input: 1_000_000)).CostUsd);
        Assert.Equal(3m, merged.Price(Requests.On("claude-sonnet-5", "2026-09-01", input: 1_000_000)).CostUsd);
        Assert.Equal(2, merged.Find("claude-sonnet-5")!.Prices.Count);
    }

    [Fact]
    public void An_override_inside_a_row_cuts_the_row_around_it()
    {
        PriceCatalog merged = Embedded.Merge(Requests.Catalog("""
            {"version": "mine", "models": [{"id": "claude-haiku-4-5", "prices": [{"from": "2026-01-01", "to": "2026-01-31", "input": 2, "output": 10}]}]}
            """));

        ModelPricing haiku = merged.Find("claude-haiku-4-5")!;
        Assert.Equal(3, haiku.Prices.Count);
        Assert.Equal(new DateOnly(2025, 12, 31), haiku.Prices[0].To);
        Assert.Equal(new DateOnly(2026, 2, 1), haiku.Prices[2].From);
        Assert.Equal(1m, merged.Price(Requests.On("claude-haiku-4-5", "2025-12-31", input: 1_000_000)).CostUsd);
        Assert.Equal(2m, merged.Price(Requests.On("claude-haiku-4-5", "2026-01-15", input: 1_000_000)).CostUsd);
        Assert.Equal(1m, merged.Price(Requests.On("claude-haiku-4-5", "2026-02-01", input: 1_000_000)).CostUsd);
    }

    [Fact]
    public void A_model_only_in_the_overrides_is_added()
    {
        PriceCatalog merged = Embedded.Merge(Requests.Catalog("""
            {"version": "mine", "models": [{"id": "claude-opus-6", "aliases": ["claude-opus-6-latest"], "prices": [{"input": 7, "output": 35}]}]}
            """));

        Assert.Equal(Embedded.Models.Count + 1, merged.Models.Count);
        PriceQuote quote = merged.Price(Requests.On("claude-opus-6-latest", "2027-01-01", input: 1_000_000, write1h: 1_000_000));
        Assert.Equal(7m + 14m, quote.CostUsd); // the 1h write derived at 2x input
        Assert.Equal("claude-opus-6", quote.CatalogModel);
        Assert.Equal(PriceStatus.Unpriced, Embedded.Price(Requests.On("claude-opus-6", "2027-01-01", input: 1)).Status);
    }

    [Fact]
    public void An_override_named_by_an_alias_applies_to_the_model()
    {
        PriceCatalog merged = Embedded.Merge(Requests.Catalog("""
            {"version": "mine", "models": [{"id": "claude-sonnet-4-5", "prices": [{"input": 4, "output": 20}]}]}
            """));

        Assert.Equal(Embedded.Models.Count, merged.Models.Count);
        Assert.Equal(0.4m, merged.Price(Requests.On("claude-sonnet-4-5-20250929", "2026-01-01", input: 100_000)).CostUsd);
    }

    [Fact]
    public void Overriding_prices_keeps_the_long_context_tier_and_multipliers()
    {
        PriceCatalog merged = Embedded.Merge(Requests.Catalog("""
            {"version": "mine", "models": [{"id": "claude-opus-4-6", "prices": [{"input": 5, "output": 25}]}]}
            """));

        PriceQuote quote = merged.Price(Requests.On("claude-opus-4-6", "2026-02-15", input: 250_000, output: 1_000));
        Assert.True(quote.LongContext);
        Assert.Equal(2.5375m, quote.CostUsd);
        Assert.Equal(30m, merged.Price(Requests.On("claude-opus-4-6", "2026-06-01", input: 1_000_000, speed: "fast")).CostUsd);
    }

    [Fact]
    public void A_missing_cache_price_keeps_the_published_one_when_the_input_price_is_unchanged()
    {
        // Haiku 3's published 5m write ($0.30) and read ($0.03) differ from the derived $0.3125 and $0.025.
        PriceCatalog same = Embedded.Merge(Requests.Catalog("""
            {"version": "mine", "models": [{"id": "claude-3-haiku-20240307", "prices": [{"input": 0.25, "output": 1.5}]}]}
            """));
        TokenRates kept = same.Find("claude-3-haiku")!.Prices[0].Rates;
        Assert.Equal((0.25m, 1.5m, 0.30m, 0.50m, 0.03m), (kept.Input, kept.Output, kept.EffectiveCacheWrite5m, kept.EffectiveCacheWrite1h, kept.EffectiveCacheRead));

        PriceCatalog changed = Embedded.Merge(Requests.Catalog("""
            {"version": "mine", "models": [{"id": "claude-3-haiku-20240307", "prices": [{"input": 0.5, "output": 2.5}]}]}
            """));
        TokenRates derived = changed.Find("claude-3-haiku")!.Prices[0].Rates;
        Assert.Equal((0.625m, 1m, 0.05m), (derived.EffectiveCacheWrite5m, derived.EffectiveCacheWrite1h, derived.EffectiveCacheRead));
    }

    [Fact]
    public void Overrides_can_change_catalog_level_fees_and_multipliers()
    {
        PriceCatalog merged = Embedded.Merge(Requests.Catalog("""
            {"version": "mine", "webSearch": [{"from": "2027-01-01", "usdPer1000": 12}], "batch": [{"multiplier": 0.4}],
             "models": [{"id": "claude-opus-4-7", "fastMode": [{"multiplier": 3}]}]}
            """));

        Assert.Equal(0.01m, merged.Price(Requests.On("claude-opus-4-7", "2026-12-31", webSearches: 1)).CostUsd);
        Assert.Equal(0.012m, merged.Price(Requests.On("claude-opus-4-7", "2027-01-01", webSearches: 1)).CostUsd);
        Assert.Equal(2m, merged.Price(Requests.On("claude-opus-4-7", "2026-06-01", input: 1_000_000, tier: "batch")).CostUsd);
        Assert.Equal(15m, merged.Price(Requests.On("claude-opus-4-7", "2026-06-01", input: 1_000_000, speed: "fast")).CostUsd);
    }

    [Fact]
    public void An_override_alias_claimed_by_another_model_is_an_error()
    {
        PriceCatalog overrides = Requests.Catalog("""
            {"version": "mine", "models": [{"id": "claude-opus-6", "aliases": ["claude-opus-4-1"], "prices": [{"input": 7, "output": 35}]}]}
            """);
        FormatException error = Assert.Throws<FormatException>(() => Embedded.Merge(overrides));
        Assert.Contains("claude-opus-4-1", error.Message, StringComparison.Ordinal);
    }
}
