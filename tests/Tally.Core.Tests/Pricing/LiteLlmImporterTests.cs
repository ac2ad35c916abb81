using Tally.Core.Pricing;

namespace Tally.Core.Tests.Pricing;

public class LiteLlmImporterTests
{
    private static readonly DateOnly AsOf = new(2026, 10, 1);

    private static PriceCatalog Import()
    {
        using FileStream file = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Pricing", "litellm-sample.json"));
        return LiteLlmImporter.Import(file, AsOf);
    }

    private static PriceCatalog ImportText(string json) =>
        LiteLlmImporter.Import(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), AsOf);

    [Fact]
    public void Imports_the_claude_entries_and_skips_the_rest()
    {
        PriceCatalog imported = Import();

        // Skipped: sample_spec, gpt-4o, gemini, openrouter, a Bedrock regional key, a Bedrock region path, an entry without an output price.
        Assert.Equal(
            [
                "claude-3-5-haiku-20241022", "claude-3-7-sonnet-latest", "claude-3-haiku-20240307", "claude-nova-1",
                "claude-opus-4-1-20250805", "claude-opus-4-6", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929",
            ],
            imported.Models.Select(m => m.Id));
        Assert.Equal("litellm-2026-10-01", imported.Name);
    }

    [Fact]
    public void Converts_per_token_prices_to_per_million_exactly()
    {
        ModelPricing sonnet = Import().Find("claude-sonnet-4-5")!;
        PriceRow row = Assert.Single(sonnet.Prices);
        Assert.Equal(new TokenRates(3m, 15m, 3.75m, null, 0.3m), row.Rates);
        Assert.Equal(AsOf, row.From);
        Assert.Null(row.To);
        Assert.Equal("litellm", row.Source);
        Assert.Equal(200_000, sonnet.MaxInputTokens);

        Assert.Equal(0.1m, Import().Find("claude-3-5-haiku-20241022")!.Prices[0].Rates.CacheRead); // "1E-7"
        Assert.Equal(10m, Import().Find("claude-opus-4-6")!.Prices[0].Rates.CacheWrite1h); // *_above_1hr
    }

    [Fact]
    public void Above_200k_prices_become_a_whole_request_long_context_tier()
    {
        LongContextTier tier = Assert.Single(Import().Find("claude-sonnet-4-5")!.LongContext);
        Assert.Equal(200_000, tier.Threshold);
        Assert.Equal(new TokenRates(6m, 22.5m, 7.5m, null, 0.6m), tier.Rates);
        Assert.Equal(AsOf, tier.From);
    }

    [Fact]
    public void Merging_keeps_the_one_hour_price_and_the_whole_request_rule()
    {
        PriceCatalog merged = PriceCatalog.Embedded.Merge(Import());
        const string day = "2026-10-15";

        Assert.Equal(0.6m, merged.Price(Requests.On("claude-sonnet-4-5-20250929", day, write1h: 100_000)).CostUsd);
        PriceQuote worked = merged.Price(Requests.On("claude-sonnet-4-5", day, input: 250_000, output: 1_000));
        Assert.Equal(1.5225m, worked.CostUsd);
        Assert.True(worked.LongContext);
        // 200,000 + 1 tokens: long, and the tier's 1h write is derived at 2x the tier's input ($12), not lost.
        Assert.Equal(1.2m + 0.000012m, merged.Price(Requests.On("claude-sonnet-4-5", day, input: 200_000, write1h: 1)).CostUsd);

        // Haiku 3 via a bare Bedrock key lacks cache prices: the published $0.30 / $0.03 stay (input unchanged).
        Assert.Equal(0.30m, merged.Price(Requests.On("claude-3-haiku", day, write5m: 1_000_000)).CostUsd);
        Assert.Equal(0.03m, merged.Price(Requests.On("claude-3-haiku", day, read: 1_000_000)).CostUsd);

        // Haiku 3.5's input changed to $1: the 1h write follows the new input at 2x rather than the old $1.60.
        Assert.Equal(2m, merged.Price(Requests.On("claude-3-5-haiku-latest", day, write1h: 1_000_000)).CostUsd);
        Assert.Equal(1.6m, merged.Price(Requests.On("claude-3-5-haiku-latest", "2026-09-30", write1h: 1_000_000)).CostUsd);

        // The multipliers and the Opus 4.6 tier dates are untouched; a model only LiteLLM knows is added.
        Assert.Equal(30m, merged.Price(Requests.On("claude-opus-4-6", day, input: 1_000_000, speed: "fast")).CostUsd);
        Assert.True(merged.Price(Requests.On("claude-opus-4-6", "2026-02-15", input: 250_000)).LongContext);
        Assert.Equal(2m, merged.Price(Requests.On("claude-nova-1", day, input: 1_000_000)).CostUsd);
        Assert.Equal(PriceCatalog.Embedded.Models.Count + 1, merged.Models.Count);
    }

    [Fact]
    public void Merging_an_unchanged_file_keeps_every_price_and_a_changed_one_changes_the_version()
    {
        PriceCatalog merged = PriceCatalog.Embedded.Merge(Import());
        foreach (object[] row in CatalogCoverageTests.Published)
        {
            string id = (string)row[0];
            if (id is "claude-3-5-haiku-20241022")
            {
                continue; // changed on purpose in the sample
            }

            Assert.Equal(
                PriceCatalog.Embedded.Price(Requests.On(id, "2026-10-15", 10, 20, 30, 40, 50)).CostUsd,
                merged.Price(Requests.On(id, "2026-10-15", 10, 20, 30, 40, 50)).CostUsd);
        }

        Assert.NotEqual(PriceCatalog.Embedded.Version, merged.Version);
    }

    [Fact]
    public void A_custom_one_hour_price_is_kept_when_the_input_price_is_unchanged()
    {
        PriceCatalog custom = Requests.Catalog("""
            {"version": "c", "models": [{"id": "claude-test", "prices": [{"input": 3, "output": 15, "cacheWrite1h": 7}]}]}
            """);
        PriceCatalog same = custom.Merge(ImportText("""{"claude-test": {"input_cost_per_token": 3e-06, "output_cost_per_token": 1.6e-05}}"""));
        PriceCatalog changed = custom.Merge(ImportText("""{"claude-test": {"input_cost_per_token": 4e-06, "output_cost_per_token": 1.6e-05}}"""));

        Assert.Equal(7m, same.Price(Requests.On("claude-test", "2026-10-01", write1h: 1_000_000)).CostUsd);
        Assert.Equal(8m, changed.Price(Requests.On("claude-test", "2026-10-01", write1h: 1_000_000)).CostUsd);
        Assert.Equal(7m, changed.Price(Requests.On("claude-test", "2026-09-30", write1h: 1_000_000)).CostUsd);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1, 2]", "must be an object keyed by model name")]
    [InlineData("""{"claude-x": {"input_cost_per_token": "3e-06", "output_cost_per_token": 1e-05}}""", "$[\"claude-x\"].input_cost_per_token: expected a number")]
    [InlineData("""{"claude-x": {"input_cost_per_token": -3e-06, "output_cost_per_token": 1e-05}}""", "is negative")]
    public void An_invalid_file_fails_with_a_message_naming_the_problem(string json, string message)
    {
        FormatException error = Assert.Throws<FormatException>(() => ImportText(json));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prefers_the_anthropic_key_when_providers_disagree()
    {
        PriceCatalog imported = ImportText("""
            {
              "bedrock/anthropic.claude-test-20250101-v1:0": {"input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06},
              "vertex_ai/claude-test@20250101": {"input_cost_per_token": 2e-06, "output_cost_per_token": 2e-06},
              "claude-test-20250101": {"input_cost_per_token": 3e-06, "output_cost_per_token": 3e-06}
            }
            """);
        Assert.Equal(3m, Assert.Single(imported.Models).Prices[0].Rates.Input);
    }
}
