using System.Text.Json;
using Tally.Cli.Tests.Harness;
using Tally.Core.Pricing;
using static Tally.Cli.Tests.Harness.JsonChecks;

namespace Tally.Cli.Tests.Reports;

public class DailyJsonTests
{
    private static readonly string[] CcusageFields = ["inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens", "totalTokens"];

    private static readonly string[] TallyFields =
    [
        "cacheCreation5mTokens", "cacheCreation1hTokens", "webSearchRequests", "requests", "longContextRequests", "unpricedRequests",
        "costSource", "firstActivity", "lastActivity",
    ];

    [Fact]
    public async Task Daily_json_has_ccusage_shape_and_the_sample_figures_to_the_last_decimal()
    {
        using var cli = new TallyCli();
        var json = (await cli.RunAsync("daily", "--json", "-z", "UTC")).Json();

        Assert.Equal(["daily", "totals", "tally"], Names(json));
        var days = json.GetProperty("daily").EnumerateArray().ToList();
        Assert.Equal(["2026-11-18", "2026-11-20"], days.Select(static d => d.GetProperty("date").GetString()));

        // 2026-11-18: blog. Opus 4.1 twice (the replay in c3d4 counts once) and the unknown model.
        var blog = days[0];
        Assert.Equal(
            ["date", .. CcusageFields, "totalCost", "missingPricing", .. TallyFields, "modelsUsed", "modelBreakdowns"],
            Names(blog));
        AssertTokens(blog, input: 12 + 4 + 7, output: 700 + 150 + 70, cacheCreation: 3_000, cacheRead: 8_000 + 11_000 + 1_000);
        Assert.Equal(23_943, blog.GetProperty("totalTokens").GetInt64());
        Assert.Equal(Prices.OpusFirst + Prices.OpusSecond, blog.GetProperty("totalCost").GetDecimal());
        Assert.Equal(0.16874m, blog.GetProperty("totalCost").GetDecimal());
        Assert.True(blog.GetProperty("missingPricing").GetBoolean());
        Assert.Equal(2, blog.GetProperty("webSearchRequests").GetInt64());
        Assert.Equal(3, blog.GetProperty("requests").GetInt64());
        Assert.Equal(["claude-opus-4-1-20250805", "claude-unknown-99"], Strings(blog.GetProperty("modelsUsed")));

        var blogModels = blog.GetProperty("modelBreakdowns").EnumerateArray().ToList();
        Assert.Equal(["modelName", .. CcusageFields, "cost", .. TallyFields], Names(blogModels[0]));
        Assert.Equal("claude-opus-4-1-20250805", blogModels[0].GetProperty("modelName").GetString());
        Assert.Equal(0.16874m, blogModels[0].GetProperty("cost").GetDecimal());
        Assert.False(blogModels[0].TryGetProperty("missingPricing", out _));
        var unknown = blogModels[1];
        Assert.Equal("claude-unknown-99", unknown.GetProperty("modelName").GetString());
        AssertTokens(unknown, input: 7, output: 70, cacheCreation: 0, cacheRead: 1_000);
        Assert.Equal(Prices.Unknown, unknown.GetProperty("cost").GetDecimal());
        Assert.True(unknown.GetProperty("missingPricing").GetBoolean());
        Assert.Equal(1, unknown.GetProperty("unpricedRequests").GetInt64());

        // 2026-11-20: acme-api, its subagent included; the synthetic line costs nothing and is no request.
        var acme = days[1];
        Assert.False(acme.TryGetProperty("missingPricing", out _));
        AssertTokens(acme, input: 3 + 6 + 5 + 100 + 10, output: 412 + 950 + 1_200 + 200 + 300, cacheCreation: 12_000 + 2_000 + 5_000, cacheRead: 15_000 + 27_000 + 210_000);
        Assert.Equal(12_000 + 5_000, acme.GetProperty("cacheCreation5mTokens").GetInt64());
        Assert.Equal(2_000, acme.GetProperty("cacheCreation1hTokens").GetInt64());
        Assert.Equal(274_186, acme.GetProperty("totalTokens").GetInt64());
        Assert.Equal(5, acme.GetProperty("requests").GetInt64());
        Assert.Equal(1, acme.GetProperty("longContextRequests").GetInt64());
        Assert.Equal("mixed", acme.GetProperty("costSource").GetString());
        var acmeCost = Prices.SonnetStreamed + Prices.SonnetSecond + Prices.SonnetLongContext + Prices.LegacyReported + Prices.SubagentHaiku;
        Assert.Equal(acmeCost, acme.GetProperty("totalCost").GetDecimal());
        Assert.Equal(0.300847m, acmeCost);
        Assert.Equal(["claude-sonnet-4-20250514", "claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001"], Strings(acme.GetProperty("modelsUsed")));
        var acmeModels = acme.GetProperty("modelBreakdowns").EnumerateArray().ToDictionary(static m => m.GetProperty("modelName").GetString()!);
        Assert.Equal(Prices.SonnetLongContext + Prices.LegacyReported, acmeModels["claude-sonnet-4-20250514"].GetProperty("cost").GetDecimal());
        Assert.Equal(0.20303m, acmeModels["claude-sonnet-4-20250514"].GetProperty("cost").GetDecimal());
        Assert.Equal(Prices.SonnetStreamed + Prices.SonnetSecond, acmeModels["claude-sonnet-4-5-20250929"].GetProperty("cost").GetDecimal());
        Assert.Equal(0.090057m, acmeModels["claude-sonnet-4-5-20250929"].GetProperty("cost").GetDecimal());
        Assert.Equal(Prices.SubagentHaiku, acmeModels["claude-haiku-4-5-20251001"].GetProperty("cost").GetDecimal());
        Assert.Equal(0.00776m, Prices.SubagentHaiku);
        AssertTokens(acmeModels["claude-sonnet-4-5-20250929"], input: 9, output: 412 + 950, cacheCreation: 14_000, cacheRead: 42_000);
        Assert.Equal(12_000, acmeModels["claude-sonnet-4-5-20250929"].GetProperty("cacheCreation5mTokens").GetInt64());
        Assert.Equal(2_000, acmeModels["claude-sonnet-4-5-20250929"].GetProperty("cacheCreation1hTokens").GetInt64());
        AssertTokens(acmeModels["claude-sonnet-4-20250514"], input: 105, output: 1_400, cacheCreation: 0, cacheRead: 210_000);

        var totals = json.GetProperty("totals");
        Assert.Equal([.. CcusageFields, "totalCost", "missingPricing", .. TallyFields], Names(totals));
        AssertTokens(totals, input: 147, output: 3_982, cacheCreation: 22_000, cacheRead: 272_000);
        Assert.Equal(298_129, totals.GetProperty("totalTokens").GetInt64());
        Assert.Equal(0.469587m, totals.GetProperty("totalCost").GetDecimal());
        Assert.Equal(8, totals.GetProperty("requests").GetInt64());
        Assert.Equal(2, totals.GetProperty("webSearchRequests").GetInt64());
        Assert.Equal("2026-11-18T09:17:50.000Z", totals.GetProperty("firstActivity").GetString());
        Assert.Equal("2026-11-20T10:52:00.000Z", totals.GetProperty("lastActivity").GetString());

        var tally = json.GetProperty("tally");
        Assert.Equal(1, tally.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("daily", tally.GetProperty("report").GetString());
        Assert.Equal("UTC", tally.GetProperty("timezone").GetString());
        Assert.Equal(JsonValueKind.Null, tally.GetProperty("since").ValueKind);
        Assert.Equal("auto", tally.GetProperty("costMode").GetString());
        Assert.Equal(PriceCatalog.Embedded.Version, tally.GetProperty("catalogVersion").GetString());
        Assert.StartsWith("2026-11-01+", tally.GetProperty("catalogVersion").GetString(), StringComparison.Ordinal);
        Assert.Equal(["claude-unknown-99"], Strings(tally.GetProperty("unpricedModels")));
        Assert.Equal(0, tally.GetProperty("problems").GetInt64());
    }

    [Fact]
    public async Task Json_goes_to_stdout_alone()
    {
        using var cli = new TallyCli();
        var result = await cli.RunAsync("daily", "--json", "-z", "UTC");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Console);
        Assert.Equal(string.Empty, result.Error);
        Assert.EndsWith("}" + Environment.NewLine, result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_writes_plus_signs_and_apostrophes_as_they_are()
    {
        using var cli = new TallyCli();
        var result = await cli.RunAsync("daily", "--json", "-z", "UTC");
        var version = result.Json().GetProperty("tally").GetProperty("catalogVersion").GetString()!;
        Assert.Contains('+', version);
        Assert.Contains($"\"catalogVersion\": \"{version}\"", result.Out, StringComparison.Ordinal);
    }
}
