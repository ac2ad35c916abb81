using Tally.Core.Pricing;

namespace Tally.Core.Tests.Pricing;

public class FormulaTests
{
    private static readonly PriceCatalog Catalog = PriceCatalog.Embedded;

    private static PriceQuote Price(PricingRequest request) => Catalog.Price(request);

    [Fact]
    public void Worked_example_reprices_the_whole_request_at_the_long_context_rate()
    {
        // pricing.md: Sonnet 4.5, 250k input + 1k output => $1.5225 under Anthropic's rule (ccusage: $0.915).
        PriceQuote quote = Price(Requests.On("claude-sonnet-4-5-20250929", "2025-11-10", input: 250_000, output: 1_000));
        Assert.Equal(1.5225m, quote.CostUsd);
        Assert.True(quote.LongContext);
        Assert.Equal(PriceStatus.Priced, quote.Status);
    }

    [Theory]
    [InlineData("2026-01-15", false, 1.275)] // before the tier existed
    [InlineData("2026-02-01", true, 2.5375)] // first day of the tier
    [InlineData("2026-02-15", true, 2.5375)] // 250k x $10 + 1k x $37.50
    [InlineData("2026-03-30", true, 2.5375)] // last day of the tier
    [InlineData("2026-03-31", false, 1.275)] // full 1M context at standard prices
    [InlineData("2026-04-15", false, 1.275)] // 250k x $5 + 1k x $25
    public void Opus_4_6_long_context_depends_on_the_day(string day, bool isLong, decimal cost)
    {
        PriceQuote quote = Price(Requests.On("claude-opus-4-6", day, input: 250_000, output: 1_000));
        Assert.Equal(cost, quote.CostUsd);
        Assert.Equal(isLong, quote.LongContext);
    }

    [Theory]
    [InlineData("2026-02-15", true, 1.5225)]
    [InlineData("2026-04-15", false, 0.765)]
    public void Sonnet_4_6_long_context_depends_on_the_day(string day, bool isLong, decimal cost)
    {
        PriceQuote quote = Price(Requests.On("claude-sonnet-4-6", day, input: 250_000, output: 1_000));
        Assert.Equal(cost, quote.CostUsd);
        Assert.Equal(isLong, quote.LongContext);
    }

    [Theory]
    [InlineData("2025-06-01")]
    [InlineData("2026-02-15")]
    [InlineData("2026-10-01")]
    public void Sonnet_4_long_context_applies_on_any_day(string day)
    {
        PriceQuote quote = Price(Requests.On("claude-sonnet-4-20250514", day, input: 250_000, output: 1_000));
        Assert.Equal(1.5225m, quote.CostUsd);
        Assert.True(quote.LongContext);
    }

    [Fact]
    public void A_prompt_of_exactly_200000_tokens_is_not_long_and_200001_is()
    {
        // Every prompt field counts toward the threshold: 50k of each is exactly 200,000.
        PriceQuote atLimit = Price(Requests.On("claude-sonnet-4-5", "2025-11-10", input: 50_000, write5m: 50_000, write1h: 50_000, read: 50_000));
        Assert.False(atLimit.LongContext);
        Assert.Equal((50_000m * (3m + 3.75m + 6m + 0.3m)) / 1_000_000m, atLimit.CostUsd);

        PriceQuote over = Price(Requests.On("claude-sonnet-4-5", "2025-11-10", input: 50_001, write5m: 50_000, write1h: 50_000, read: 50_000));
        Assert.True(over.LongContext);

        // Long-context cache prices are derived from the tier's input: 5m $7.50, 1h $12, read $0.60.
        Assert.Equal(((50_001m * 6m) + (50_000m * (7.5m + 12m + 0.6m))) / 1_000_000m, over.CostUsd);
    }

    [Fact]
    public void Output_size_does_not_decide_the_tier()
    {
        PriceQuote quote = Price(Requests.On("claude-sonnet-4-5", "2025-11-10", input: 100_000, output: 300_000));
        Assert.False(quote.LongContext);
        Assert.Equal(0.3m + 4.5m, quote.CostUsd);
    }

    [Fact]
    public void One_hour_cache_writes_cost_more_than_five_minute_writes()
    {
        Assert.Equal(0.375m, Price(Requests.On("claude-sonnet-4-5", "2025-11-10", write5m: 100_000)).CostUsd);
        Assert.Equal(0.6m, Price(Requests.On("claude-sonnet-4-5", "2025-11-10", write1h: 100_000)).CostUsd);
        Assert.Equal(0.30m, Price(Requests.On("claude-3-haiku-20240307", "2025-11-10", write5m: 1_000_000)).CostUsd);
        Assert.Equal(0.50m, Price(Requests.On("claude-3-haiku-20240307", "2025-11-10", write1h: 1_000_000)).CostUsd);
    }

    [Theory]
    [InlineData("claude-opus-4-6", 30)] // $30/$150: 6x
    [InlineData("claude-opus-4-8", 10)] // $10/$50: 2x
    [InlineData("claude-opus-5", 10)]
    [InlineData("claude-opus-4-7", 5)] // no fast-mode price: unchanged
    public void Fast_mode_multiplies_by_model(string model, decimal cost)
    {
        Assert.Equal(cost, Price(Requests.On(model, "2026-06-01", input: 1_000_000, speed: "fast")).CostUsd);
        Assert.Equal(5m, Price(Requests.On(model, "2026-06-01", input: 1_000_000, speed: "standard")).CostUsd);
    }

    [Fact]
    public void Fast_mode_multiplies_cache_prices_too()
    {
        Assert.Equal(3m, Price(Requests.On("claude-opus-4-6", "2026-06-01", read: 1_000_000, speed: "fast")).CostUsd);
    }

    [Theory]
    [InlineData("claude-opus-4-6", "us", 5.5)]
    [InlineData("claude-opus-4-6", "US", 5.5)]
    [InlineData("claude-opus-4-6", "global", 5)]
    [InlineData("claude-opus-4-6", "not_available", 5)]
    [InlineData("claude-opus-4-6", "", 5)]
    [InlineData("claude-opus-4-5", "us", 5)] // residency pricing is for 4.6 and later
    [InlineData("claude-sonnet-5", "us", 2.2)]
    public void Data_residency_adds_ten_percent_on_4_6_and_later(string model, string geo, decimal cost)
    {
        Assert.Equal(cost, Price(Requests.On(model, "2026-06-01", input: 1_000_000, geo: geo)).CostUsd);
    }

    [Fact]
    public void Batch_halves_the_cost_and_stacks_with_caching()
    {
        Assert.Equal(0.15m + 0.015m, Price(Requests.On("claude-sonnet-4-5", "2025-11-10", input: 100_000, read: 100_000, tier: "batch")).CostUsd);
        Assert.Equal(0.33m, Price(Requests.On("claude-sonnet-4-5", "2025-11-10", input: 100_000, read: 100_000, tier: "standard")).CostUsd);
        Assert.Equal(0.33m, Price(Requests.On("claude-sonnet-4-5", "2025-11-10", input: 100_000, read: 100_000, tier: "priority")).CostUsd);
    }

    [Theory]
    [InlineData("us.anthropic.claude-opus-4-6-v1", 0.55)]
    [InlineData("eu.anthropic.claude-sonnet-4-5-20250929-v1:0", 0.33)]
    [InlineData("apac.anthropic.claude-haiku-4-5-20251001-v1:0", 0.11)]
    [InlineData("global.anthropic.claude-opus-4-6-v1", 0.5)] // global endpoint: no premium
    [InlineData("anthropic.claude-opus-4-6-v1", 0.5)]
    [InlineData("us.anthropic.claude-sonnet-4-20250514-v1:0", 0.3)] // before 4.5: no premium
    public void Regional_endpoints_add_ten_percent_on_4_5_and_later(string model, decimal cost)
    {
        Assert.Equal(cost, Price(Requests.On(model, "2026-06-01", input: 100_000)).CostUsd);
    }

    [Fact]
    public void Multipliers_stack_and_the_web_search_fee_is_not_multiplied()
    {
        PricingRequest request = Requests.On(
            "us.anthropic.claude-opus-4-6-v1", "2026-06-01", input: 1_000_000, speed: "fast", geo: "us", tier: "batch", webSearches: 10);

        // $5 x 6 (fast) x 1.1 (residency) x 0.5 (batch) x 1.1 (regional) = $18.15, + 10 searches x $0.01.
        Assert.Equal(18.25m, Price(request).CostUsd);
    }

    [Fact]
    public void Web_search_costs_ten_dollars_per_thousand()
    {
        Assert.Equal(0.01m, Price(Requests.On("claude-haiku-4-5", "2026-06-01", webSearches: 1)).CostUsd);
        Assert.Equal(10m, Price(Requests.On("claude-haiku-4-5", "2026-06-01", webSearches: 1000, tier: "batch")).CostUsd);
    }

    [Theory]
    [InlineData("claude-unknown-99")]
    [InlineData("claude-fable-6")]
    [InlineData("claude-sonnet-7")]
    [InlineData("gpt-4o")]
    [InlineData("opus")]
    public void An_unknown_model_is_never_priced_as_another(string model)
    {
        PriceQuote quote = Price(Requests.On(model, "2026-06-01", input: 1_000_000, output: 1_000, webSearches: 3));
        Assert.Equal(new PriceQuote(0m, PriceStatus.Unpriced, null, false, Catalog.Version), quote);
    }

    [Theory]
    [InlineData("<synthetic>")]
    [InlineData("")]
    [InlineData("   ")]
    public void Claude_codes_own_messages_are_free(string model)
    {
        PriceQuote quote = Price(Requests.On(model, "2026-06-01", input: 1_000, output: 1_000));
        Assert.Equal(new PriceQuote(0m, PriceStatus.Free, null, false, Catalog.Version), quote);
    }

    [Fact]
    public void A_day_before_every_row_uses_the_earliest_row_and_a_gap_uses_the_row_last_in_force()
    {
        PriceCatalog catalog = Requests.Catalog("""
            {"version": "t", "models": [{"id": "claude-test-1", "prices": [
              {"from": "2026-01-01", "to": "2026-01-31", "input": 1, "output": 5},
              {"from": "2026-03-01", "to": "2026-03-31", "input": 2, "output": 10}]}]}
            """);
        Assert.Equal(1m, catalog.Price(Requests.On("claude-test-1", "2025-06-01", input: 1_000_000)).CostUsd);
        Assert.Equal(1m, catalog.Price(Requests.On("claude-test-1", "2026-02-15", input: 1_000_000)).CostUsd);
        Assert.Equal(2m, catalog.Price(Requests.On("claude-test-1", "2026-03-15", input: 1_000_000)).CostUsd);
        Assert.Equal(2m, catalog.Price(Requests.On("claude-test-1", "2026-12-01", input: 1_000_000)).CostUsd);
    }

    [Fact]
    public void The_day_is_the_utc_day()
    {
        // 2026-03-31T01:00+02:00 is 2026-03-30 in UTC: the Opus 4.6 tier still applies.
        PricingRequest request = Requests.On("claude-opus-4-6", "2026-03-31", input: 250_000) with
        {
            Timestamp = new DateTimeOffset(2026, 3, 31, 1, 0, 0, TimeSpan.FromHours(2)),
        };
        Assert.True(Price(request).LongContext);
    }
}
