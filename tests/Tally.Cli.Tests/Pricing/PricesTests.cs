using System.Text.Json;
using Tally.Cli.Tests.Harness;
using Tally.Cli.Tests.Snapshots;
using Tally.Core.Pricing;
using static Tally.Cli.Tests.Harness.JsonChecks;

namespace Tally.Cli.Tests.Pricing;

public class PricesTests
{
    /// <summary>Overrides: a price for the unknown model, and a new Haiku 4.5 price from 2026-11-01 (cache prices derived).</summary>
    private const string Overrides = """
        {
          "version": "my-prices",
          "source": "my-contract",
          "models": [
            { "id": "claude-unknown-99", "prices": [ { "input": 2, "output": 8 } ] },
            { "id": "claude-haiku-4-5-20251001", "prices": [ { "from": "2026-11-01", "input": 2, "output": 10 } ] }
          ]
        }
        """;

    /// <summary>A small file in LiteLLM's format: a Claude alias, a provider-prefixed unknown Claude model, and a non-Claude model.</summary>
    private const string LiteLlm = """
        {
          "sample_spec": { "input_cost_per_token": 0.0, "output_cost_per_token": 0.0, "litellm_provider": "one of the providers" },
          "claude-haiku-4-5": { "input_cost_per_token": 2e-06, "output_cost_per_token": 1e-05, "litellm_provider": "anthropic", "mode": "chat" },
          "anthropic/claude-unknown-99": {
            "input_cost_per_token": 4e-06, "output_cost_per_token": 2e-05, "cache_read_input_token_cost": 4e-07,
            "litellm_provider": "anthropic", "mode": "chat"
          },
          "gpt-4o-mini": { "input_cost_per_token": 1.5e-07, "output_cost_per_token": 6e-07, "litellm_provider": "openai", "mode": "chat" }
        }
        """;

    // The subagent's Haiku call (10 in, 5,000 5m writes, 300 out) at $2 / $10, the 5m write derived at 1.25x = $2.50.
    private static readonly decimal HaikuAtTwoDollars = Prices.M(10, 2) + Prices.M(5_000, 2.50m) + Prices.M(300, 10);

    [Fact]
    public async Task Prices_json_for_one_model_on_a_day()
    {
        using var cli = new TallyCli();
        var result = await cli.RunAsync("prices", "--json", "--date", "2026-11-20", "--model", "claude-sonnet-4-5-20250929");
        Assert.Equal(0, result.ExitCode);
        Snapshot.Match(cli.Scrub(result.Out));
        var json = result.Json();
        Assert.Equal(PriceCatalog.Embedded.Version, json.GetProperty("catalogVersion").GetString());
    }

    [Fact]
    public async Task Prices_shows_the_tiers_in_force_on_the_day_asked()
    {
        using var cli = new TallyCli { Width = 1000 };
        var february = (await cli.RunAsync("prices", "--json", "--date", "20260301", "-m", "claude-opus-4-6")).Json();
        var opus = Assert.Single(february.GetProperty("models").EnumerateArray());
        Assert.Equal(10m, opus.GetProperty("longContext").GetProperty("input").GetDecimal());
        Assert.Equal(37.5m, opus.GetProperty("longContext").GetProperty("output").GetDecimal());
        Assert.Equal(6m, opus.GetProperty("fastMultiplier").GetDecimal());

        var november = (await cli.RunAsync("prices", "--json", "--date", "2026-11-20", "-m", "claude-opus-4-6")).Json();
        Assert.False(november.GetProperty("models")[0].TryGetProperty("longContext", out _));

        // Without --date: the clock's day.
        Assert.Equal("2026-11-20", (await cli.RunAsync("prices", "--json")).Json().GetProperty("date").GetString());

        var table = await cli.RunAsync("prices", "--date", "2026-11-20", "-m", "sonnet-4-5");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("$6.00/$22.50 whole request", table.Console, StringComparison.Ordinal);
        Assert.Contains("Web search: $10 per 1,000 searches", table.Console, StringComparison.Ordinal);

        var bad = await cli.RunAsync("prices", "--date", "2026-13-01");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--date \"2026-13-01\" is not a date", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prices_json_override_reprices_the_indexed_records_on_the_next_run()
    {
        using var cli = new TallyCli();
        var before = (await cli.RunAsync("daily", "--json", "-z", "UTC")).Json();
        Assert.Equal(0m, ModelCost(before, "2026-11-18", "claude-unknown-99"));
        Assert.Equal(Prices.SubagentHaiku, ModelCost(before, "2026-11-20", "claude-haiku-4-5-20251001"));

        cli.WritePrices(Overrides);
        var sync = await cli.RunAsync("sync");
        Assert.Equal(0, sync.ExitCode);
        Assert.Contains("2 records re-priced", sync.Console, StringComparison.Ordinal);

        var after = (await cli.RunAsync("daily", "--json", "-z", "UTC")).Json();

        // claude-unknown-99 at $2 / $8: 7 in, 1,000 reads (derived 0.1x = $0.20), 70 out.
        var unknown = Prices.M(7, 2) + Prices.M(1_000, 0.20m) + Prices.M(70, 8);
        Assert.Equal(0.000774m, unknown);
        Assert.Equal(unknown, ModelCost(after, "2026-11-18", "claude-unknown-99"));
        Assert.False(Model(after, "2026-11-18", "claude-unknown-99").TryGetProperty("missingPricing", out _));
        Assert.Empty(after.GetProperty("tally").GetProperty("unpricedModels").EnumerateArray());
        Assert.Equal(0.01552m, HaikuAtTwoDollars);
        Assert.Equal(HaikuAtTwoDollars, ModelCost(after, "2026-11-20", "claude-haiku-4-5-20251001"));
        Assert.Equal(TotalCost(before) + unknown - Prices.SubagentHaiku + HaikuAtTwoDollars, TotalCost(after));

        var version = after.GetProperty("tally").GetProperty("catalogVersion").GetString();
        Assert.StartsWith("2026-11-01+", version, StringComparison.Ordinal);
        Assert.NotEqual(PriceCatalog.Embedded.Version, version);

        var models = (await cli.RunAsync("models", "--json", "-z", "UTC")).Json();
        Assert.Equal("claude-unknown-99", models.GetProperty("models").EnumerateArray().Single(static m => m.GetProperty("model").GetString() == "claude-unknown-99").GetProperty("catalogModel").GetString());

        // Taking the file away re-prices them back.
        File.Delete(Path.Combine(cli.ConfigDir, "prices.json"));
        var restored = (await cli.RunAsync("daily", "--json", "-z", "UTC")).Json();
        Assert.Equal(before.GetRawText(), restored.GetRawText());
    }

    [Theory]
    [InlineData("{ \"version\": \"broken\", \"models\": [ ")]
    [InlineData("{ \"models\": [] }")]
    [InlineData("{ \"version\": \"x\", \"models\": [ { \"id\": \"claude-unknown-99\", \"prices\": [ { \"input\": \"two\", \"output\": 8 } ] } ] }")]
    public async Task A_broken_prices_json_is_named_in_a_warning_and_not_used(string content)
    {
        using var cli = new TallyCli { Width = 1000 };
        var path = cli.WritePrices(content);
        var result = await cli.RunAsync("daily", "--json", "-z", "UTC");
        var json = result.Json();
        Assert.Contains($"warning: {path}: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("This file's prices are not used until it is fixed.", result.Error, StringComparison.Ordinal);
        Assert.Equal(0.469587m, TotalCost(json));
        Assert.Equal(PriceCatalog.Embedded.Version, json.GetProperty("tally").GetProperty("catalogVersion").GetString());

        var prices = await cli.RunAsync("prices", "--json", "-m", "unknown-99");
        Assert.Equal(0, prices.ExitCode);
        Assert.Contains(path, prices.Error, StringComparison.Ordinal);
        Assert.Empty(prices.Json().GetProperty("models").EnumerateArray());
    }

    [Fact]
    public async Task Import_litellm_keeps_a_dated_copy_whose_prices_apply_from_that_day()
    {
        using var cli = new TallyCli { Width = 1000 };
        var file = cli.WriteFile("downloads/model_prices_and_context_window.json", LiteLlm);
        var import = await cli.RunAsync("prices", "import-litellm", file);
        Assert.Equal(0, import.ExitCode);
        var kept = Path.Combine(cli.ConfigDir, "litellm", "2026-11-20.json");
        Assert.Contains($"Imported prices for 2 Claude models from {file}, in force from 2026-11-20; kept as {kept}.", import.Console, StringComparison.Ordinal);
        Assert.Equal(LiteLlm, File.ReadAllText(kept));

        var json = (await cli.RunAsync("daily", "--json", "-z", "UTC")).Json();

        // Haiku 4.5 (by its alias) at $2 / $10 from 2026-11-20: the subagent call that day.
        Assert.Equal(HaikuAtTwoDollars, ModelCost(json, "2026-11-20", "claude-haiku-4-5-20251001"));

        // A model the catalog lacks takes the imported price on earlier days too: $4 / $20, reads $0.40.
        var unknown = Prices.M(7, 4) + Prices.M(1_000, 0.40m) + Prices.M(70, 20);
        Assert.Equal(unknown, ModelCost(json, "2026-11-18", "claude-unknown-99"));

        // Everything else keeps the embedded catalog's prices, the long-context rule included.
        Assert.Equal(Prices.SonnetLongContext + Prices.LegacyReported, ModelCost(json, "2026-11-20", "claude-sonnet-4-20250514"));
        Assert.Equal(Prices.OpusFirst + Prices.OpusSecond, ModelCost(json, "2026-11-18", "claude-opus-4-1-20250805"));

        var table = await cli.RunAsync("prices", "-m", "haiku-4-5");
        Assert.Contains($"LiteLLM import: {kept}.", table.Console, StringComparison.Ordinal);
        Assert.Contains("litellm 2026-11-20", table.Console, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Imported_prices_do_not_reach_back_before_their_day()
    {
        using var cli = new TallyCli();
        var file = cli.WriteFile("litellm.json", LiteLlm);
        Assert.Equal(0, (await cli.RunAsync("prices", "import-litellm", file, "--as-of", "2026-11-21")).ExitCode);
        Assert.True(File.Exists(Path.Combine(cli.ConfigDir, "litellm", "2026-11-21.json")));

        var json = (await cli.RunAsync("daily", "--json", "-z", "UTC")).Json();
        Assert.Equal(Prices.SubagentHaiku, ModelCost(json, "2026-11-20", "claude-haiku-4-5-20251001"));
    }

    [Fact]
    public async Task Import_of_a_broken_file_fails_and_keeps_nothing()
    {
        using var cli = new TallyCli { Width = 1000 };
        var file = cli.WriteFile("broken.json", "[1, 2, 3]");
        var result = await cli.RunAsync("prices", "import-litellm", file);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"error: {file}: ", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(cli.ConfigDir, "litellm")));

        var missing = await cli.RunAsync("prices", "import-litellm", Path.Combine(cli.Root, "nowhere.json"));
        Assert.Equal(1, missing.ExitCode);
    }

    private static JsonElement Model(JsonElement json, string date, string model) =>
        json.GetProperty("daily").EnumerateArray().Single(d => d.GetProperty("date").GetString() == date)
            .GetProperty("modelBreakdowns").EnumerateArray().Single(m => m.GetProperty("modelName").GetString() == model);

    private static decimal ModelCost(JsonElement json, string date, string model) => Model(json, date, model).GetProperty("cost").GetDecimal();
}
