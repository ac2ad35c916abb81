using System.Diagnostics;

using Tally.Core.Pricing;

namespace Tally.Core.Tests.Pricing;

public class ModelIdsTests
{
    [Theory]
    [InlineData("claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929", false)]
    [InlineData("anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5-20250929", false)]
    [InlineData("global.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5-20250929", false)]
    [InlineData("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5-20250929", true)]
    [InlineData("eu.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5-20250929", true)]
    [InlineData("jp.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5-20250929", true)]
    [InlineData("apac.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5-20250929", true)]
    [InlineData("au.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5-20250929", true)]
    [InlineData("anthropic.claude-opus-4-6-v1", "claude-opus-4-6", false)]
    [InlineData("us.anthropic.claude-opus-4-6-v1", "claude-opus-4-6", true)]
    [InlineData("anthropic.claude-sonnet-4-6", "claude-sonnet-4-6", false)]
    [InlineData("claude-sonnet-4-5@20250929", "claude-sonnet-4-5-20250929", false)]
    [InlineData("claude-sonnet-4@20250514", "claude-sonnet-4-20250514", false)]
    [InlineData("claude-opus-4@20250514", "claude-opus-4-20250514", false)]
    [InlineData("  Claude-Opus-4-6 ", "claude-opus-4-6", false)]
    [InlineData("US.Anthropic.Claude-Haiku-4-5-20251001-V1:0", "claude-haiku-4-5-20251001", true)]
    [InlineData("claude-3-7-sonnet-latest", "claude-3-7-sonnet-latest", false)]
    [InlineData("claude-v", "claude-v", false)]
    [InlineData("claude-x-v1:", "claude-x-v1:", false)]
    [InlineData("claude-x@latest", "claude-x@latest", false)]
    public void Normalize_reduces_every_form_to_the_api_id(string raw, string id, bool regional)
    {
        Assert.Equal(new NormalizedModelId(id, regional), ModelIds.Normalize(raw));
    }

    [Theory]
    [InlineData("claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929")]
    [InlineData("claude-sonnet-4-5", "claude-sonnet-4-5-20250929")] // alias
    [InlineData("claude-sonnet-4-5@20250929", "claude-sonnet-4-5-20250929")] // Vertex
    [InlineData("anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5-20250929")] // Bedrock
    [InlineData("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5-20250929")] // Bedrock regional
    [InlineData("claude-sonnet-4-5-20991231", "claude-sonnet-4-5-20250929")] // an unknown snapshot: the dated id's base
    [InlineData("claude-sonnet-4-0", "claude-sonnet-4-20250514")]
    [InlineData("claude-sonnet-4@20250514", "claude-sonnet-4-20250514")]
    [InlineData("anthropic.claude-sonnet-4-20250514-v1:0", "claude-sonnet-4-20250514")]
    [InlineData("claude-opus-4-0", "claude-opus-4-20250514")]
    [InlineData("claude-opus-4@20250514", "claude-opus-4-20250514")]
    [InlineData("claude-opus-4-1", "claude-opus-4-1-20250805")]
    [InlineData("claude-opus-4-5", "claude-opus-4-5-20251101")]
    [InlineData("anthropic.claude-opus-4-6-v1", "claude-opus-4-6")]
    [InlineData("global.anthropic.claude-opus-4-6-v1", "claude-opus-4-6")]
    [InlineData("anthropic.claude-sonnet-4-6", "claude-sonnet-4-6")]
    [InlineData("claude-haiku-4-5", "claude-haiku-4-5-20251001")]
    [InlineData("claude-3-7-sonnet-latest", "claude-3-7-sonnet-20250219")]
    [InlineData("claude-3-5-sonnet-latest", "claude-3-5-sonnet-20241022")]
    [InlineData("claude-3-5-sonnet-20240620", "claude-3-5-sonnet-20240620")]
    [InlineData("claude-3-5-haiku-latest", "claude-3-5-haiku-20241022")]
    [InlineData("anthropic.claude-3-haiku-20240307-v1:0", "claude-3-haiku-20240307")]
    [InlineData("claude-3-opus-latest", "claude-3-opus-20240229")]
    [InlineData("CLAUDE-FABLE-5", "claude-fable-5")]
    [InlineData("claude-fable-5-1", "claude-fable-5-1")]
    public void Every_id_form_finds_its_model(string raw, string expected)
    {
        Assert.Equal(expected, PriceCatalog.Embedded.Find(raw)?.Id);
    }

    [Theory]
    [InlineData("claude-opus-4-9")]
    [InlineData("claude-fable-5-9")]
    [InlineData("anthropic.claude-unknown-20250101-v1:0")]
    [InlineData("<synthetic>")]
    public void Unknown_ids_find_nothing(string raw)
    {
        Assert.Null(PriceCatalog.Embedded.Find(raw));
    }

    [Fact]
    public void Hostile_ids_are_handled_in_linear_time()
    {
        string[] hostile =
        [
            string.Concat(Enumerable.Repeat("-v1", 200_000)),
            string.Concat(Enumerable.Repeat("-v1:", 200_000)) + "1",
            new string('9', 500_000) + "@",
            "us." + string.Concat(Enumerable.Repeat("us.", 100_000)) + "anthropic.x",
            string.Concat(Enumerable.Repeat("@20250101", 50_000)),
        ];
        Stopwatch watch = Stopwatch.StartNew();
        foreach (string raw in hostile)
        {
            PriceQuote quote = PriceCatalog.Embedded.Price(Requests.On(raw, "2026-06-01", input: 1));
            Assert.Equal(PriceStatus.Unpriced, quote.Status);
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Dateless_base_strips_only_an_eight_digit_date()
    {
        Assert.Equal("claude-opus-4", ModelIds.DatelessBase("claude-opus-4-20250514"));
        Assert.Null(ModelIds.DatelessBase("claude-opus-4-6"));
        Assert.Null(ModelIds.DatelessBase("-20250514"));
        Assert.Null(ModelIds.DatelessBase("claude-x-2025051a"));
    }
}
