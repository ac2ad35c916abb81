using Tally.Core.Pricing;

namespace Tally.Core.Tests.Pricing;

public class LoadTests
{
    [Fact]
    public void The_embedded_catalogs_stored_fingerprint_is_the_one_its_file_hashes_to()
    {
        var computed = PriceCatalog.LoadEmbedded(pinned: false).Version;

        Assert.True(computed == PriceCatalog.Embedded.Version, $"The embedded prices changed: set PriceCatalog.EmbeddedFingerprint to \"{computed[(computed.IndexOf('+', StringComparison.Ordinal) + 1)..]}\".");
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("[]", "$: expected an object")]
    [InlineData("""{"models": []}""", "$.version: required")]
    [InlineData("""{"version": "v", "modles": []}""", "$.modles: unknown property")]
    [InlineData("""{"version": "v", "models": [{"prices": []}]}""", "$.models[0].id: required")]
    [InlineData("""{"version": "v", "models": [{"id": "m", "prices": [{"input": -1, "output": 1}]}]}""", "$.models[0](m).prices[0].input: -1 is negative")]
    [InlineData("""{"version": "v", "models": [{"id": "m", "prices": [{"input": "3", "output": 1}]}]}""", "$.models[0](m).prices[0].input: expected a number")]
    [InlineData("""{"version": "v", "models": [{"id": "m", "prices": [{"output": 1}]}]}""", "$.models[0](m).prices[0].input: required")]
    [InlineData("""{"version": "v", "models": [{"id": "m", "prices": [{"from": "2026-13-01", "input": 1, "output": 1}]}]}""", "is not a date")]
    [InlineData("""{"version": "v", "models": [{"id": "m", "prices": [{"from": "2026-02-01", "to": "2026-01-01", "input": 1, "output": 1}]}]}""", "backwards")]
    [InlineData("""{"version": "v", "models": [{"id": "m", "prices": [{"to": "2026-01-31", "input": 1, "output": 1}, {"from": "2026-01-31", "input": 2, "output": 2}]}]}""", "overlap")]
    [InlineData("""{"version": "v", "models": [{"id": "m", "longContext": [{"threshold": 0.5, "input": 1, "output": 1}]}]}""", "threshold: must be a whole number")]
    [InlineData("""{"version": "v", "models": [{"id": "m", "fastMode": [{"multiplier": 0}]}]}""", "multiplier: must be greater than 0")]
    [InlineData("""{"version": "v", "models": [{"id": "m"}, {"id": "n", "aliases": ["M"]}]}""", "\"m\" is claimed by both")]
    public void An_invalid_catalog_fails_with_a_message_naming_the_problem(string json, string message)
    {
        FormatException error = Assert.Throws<FormatException>(() => Requests.Catalog(json));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_catalog_may_have_comments_trailing_commas_and_inherited_sources()
    {
        PriceCatalog catalog = Requests.Catalog("""
            {
              // my corrections
              "$schema": "ignored",
              "version": "mine", "source": "invoice", "asOf": "2026-10-01",
              "models": [{"id": "Claude-Test", "prices": [{"input": 3e0, "output": 1.5E1,},],},],
            }
            """);

        ModelPricing model = Assert.Single(catalog.Models);
        Assert.Equal("claude-test", model.Id);
        Assert.Equal("invoice", model.Prices[0].Source);
        Assert.Equal(new DateOnly(2026, 10, 1), model.Prices[0].AsOf);
        Assert.Equal(18m, catalog.Price(Requests.On("claude-test", "2026-10-02", input: 1_000_000, output: 1_000_000)).CostUsd);
    }

    [Fact]
    public void The_embedded_catalog_is_parsed_once()
    {
        Assert.Same(PriceCatalog.Embedded, PriceCatalog.Embedded);
    }
}
