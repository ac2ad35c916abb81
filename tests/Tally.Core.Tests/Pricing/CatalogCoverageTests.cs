using Tally.Core.Pricing;

namespace Tally.Core.Tests.Pricing;

public class CatalogCoverageTests
{
    // Typed from pricing.md, independently of catalog.json: id, input, 5m write, 1h write, cache read, output ($/MTok).
    // "–" in pricing.md is derived with the standard 1.25x / 2x / 0.1x (fable-5-2 writes, mythos-5-2 cache).
    public static TheoryData<string, decimal, decimal, decimal, decimal, decimal> Published => new()
    {
        { "claude-opus-5", 5m, 6.25m, 10m, 0.50m, 25m },
        { "claude-opus-4-8", 5m, 6.25m, 10m, 0.50m, 25m },
        { "claude-opus-4-7", 5m, 6.25m, 10m, 0.50m, 25m },
        { "claude-opus-4-6", 5m, 6.25m, 10m, 0.50m, 25m },
        { "claude-opus-4-5-20251101", 5m, 6.25m, 10m, 0.50m, 25m },
        { "claude-opus-4-1-20250805", 15m, 18.75m, 30m, 1.50m, 75m },
        { "claude-opus-4-20250514", 15m, 18.75m, 30m, 1.50m, 75m },
        { "claude-3-opus-20240229", 15m, 18.75m, 30m, 1.50m, 75m },
        { "claude-fable-5", 10m, 12.50m, 20m, 1m, 50m },
        { "claude-fable-5-1", 10m, 12.50m, 20m, 1m, 50m },
        { "claude-mythos-5", 10m, 12.50m, 20m, 1m, 50m },
        { "claude-mythos-5-1", 10m, 12.50m, 20m, 1m, 50m },
        { "claude-sonnet-5", 2m, 2.50m, 4m, 0.20m, 10m },
        { "claude-sonnet-4-6", 3m, 3.75m, 6m, 0.30m, 15m },
        { "claude-sonnet-4-5-20250929", 3m, 3.75m, 6m, 0.30m, 15m },
        { "claude-sonnet-4-20250514", 3m, 3.75m, 6m, 0.30m, 15m },
        { "claude-3-7-sonnet-20250219", 3m, 3.75m, 6m, 0.30m, 15m },
        { "claude-3-5-sonnet-20240620", 3m, 3.75m, 6m, 0.30m, 15m },
        { "claude-3-5-sonnet-20241022", 3m, 3.75m, 6m, 0.30m, 15m },
        { "claude-haiku-4-5-20251001", 1m, 1.25m, 2m, 0.10m, 5m },
        { "claude-3-5-haiku-20241022", 0.80m, 1m, 1.60m, 0.08m, 4m },
        { "claude-3-haiku-20240307", 0.25m, 0.30m, 0.50m, 0.03m, 1.25m },
        { "claude-opus-5-5", 4m, 5m, 8m, 0.20m, 20m },
        { "claude-sonnet-5-5", 2m, 2.50m, 4m, 0.10m, 10m },
        { "claude-haiku-5-5", 0.50m, 0.625m, 1m, 0.05m, 0.50m },
        { "claude-fable-5-2", 8m, 10m, 16m, 0.20m, 40m },
        { "claude-mythos-5-2", 8m, 10m, 16m, 0.80m, 40m },
    };

    private static readonly string[] EstimatorModels =
        ["claude-opus-5-5", "claude-sonnet-5-5", "claude-haiku-5-5", "claude-fable-5-2", "claude-mythos-5-2"];

    [Theory]
    [MemberData(nameof(Published))]
    public void Every_model_is_priced_at_its_published_rates(string id, decimal input, decimal write5m, decimal write1h, decimal read, decimal output)
    {
        PriceCatalog catalog = PriceCatalog.Embedded;
        const string day = "2026-06-15";

        // 100,000 tokens of one kind at a time: a tenth of the per-million rate, and below every long-context threshold.
        Assert.Equal(input / 10m, catalog.Price(Requests.On(id, day, input: 100_000)).CostUsd);
        Assert.Equal(write5m / 10m, catalog.Price(Requests.On(id, day, write5m: 100_000)).CostUsd);
        Assert.Equal(write1h / 10m, catalog.Price(Requests.On(id, day, write1h: 100_000)).CostUsd);
        Assert.Equal(read / 10m, catalog.Price(Requests.On(id, day, read: 100_000)).CostUsd);
        Assert.Equal(output / 10m, catalog.Price(Requests.On(id, day, output: 100_000)).CostUsd);

        PriceQuote quote = catalog.Price(Requests.On(id, day, input: 1));
        Assert.Equal(PriceStatus.Priced, quote.Status);
        Assert.Equal(id, quote.CatalogModel);
        Assert.Equal(catalog.Version, quote.CatalogVersion);
    }

    [Fact]
    public void The_catalog_holds_exactly_the_models_of_pricing_md()
    {
        string[] expected = [.. Published.Select(row => (string)row[0]).Order(StringComparer.Ordinal)];
        string[] actual = [.. PriceCatalog.Embedded.Models.Select(m => m.Id)];
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Every_row_names_its_source_and_the_day_it_was_checked()
    {
        PriceCatalog catalog = PriceCatalog.Embedded;
        List<DatedRow> rows = [.. catalog.WebSearchFees, .. catalog.BatchMultipliers];
        foreach (ModelPricing model in catalog.Models)
        {
            Assert.False(string.IsNullOrWhiteSpace(model.Source), model.Id);
            Assert.NotNull(model.AsOf);
            Assert.NotEmpty(model.Prices);
            rows.AddRange(model.Prices);
            rows.AddRange(model.LongContext);
            rows.AddRange(model.FastMode);
            rows.AddRange(model.DataResidency);
            rows.AddRange(model.RegionalEndpoint);
        }

        Assert.All(rows, row => Assert.False(string.IsNullOrWhiteSpace(row.Source)));
        Assert.All(rows, row => Assert.NotNull(row.AsOf));
        Assert.StartsWith("2026-11-01+", catalog.Version, StringComparison.Ordinal);
    }

    [Fact]
    public void Models_seen_only_in_claude_code_are_marked_as_such()
    {
        foreach (string id in EstimatorModels)
        {
            ModelPricing model = Assert.Single(PriceCatalog.Embedded.Models, m => m.Id == id);
            Assert.Equal("claude-code-2.1.331-estimator", model.Source);
            Assert.All(model.Prices, row => Assert.Equal("claude-code-2.1.331-estimator", row.Source));
            Assert.Contains("no Anthropic pricing page", model.Note, StringComparison.Ordinal);
        }

        // Where the estimator showed no price, the catalog says it derived one.
        Assert.Null(PriceCatalog.Embedded.Find("claude-mythos-5-2")!.Prices[0].Rates.CacheRead);
        Assert.Contains("derived", PriceCatalog.Embedded.Find("claude-fable-5-2")!.Prices[0].Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Published_cache_prices_win_over_the_multipliers()
    {
        // Haiku 3: 1.25 x 0.25 = 0.3125 and 0.1 x 0.25 = 0.025, but the published prices are 0.30 and 0.03.
        TokenRates rates = PriceCatalog.Embedded.Find("claude-3-haiku-20240307")!.Prices[0].Rates;
        Assert.Equal(0.30m, rates.EffectiveCacheWrite5m);
        Assert.Equal(0.03m, rates.EffectiveCacheRead);
    }

    [Fact]
    public void Sonnet_5_introductory_price_is_a_dated_row_that_continues_after_august_2026()
    {
        ModelPricing sonnet5 = PriceCatalog.Embedded.Find("claude-sonnet-5")!;
        Assert.Equal(2, sonnet5.Prices.Count);
        Assert.Equal(new DateOnly(2026, 8, 31), sonnet5.Prices[0].To);
        Assert.Equal(new DateOnly(2026, 9, 1), sonnet5.Prices[1].From);
        Assert.Equal(0.2m, PriceCatalog.Embedded.Price(Requests.On("claude-sonnet-5", "2026-10-01", input: 100_000)).CostUsd);
    }
}
