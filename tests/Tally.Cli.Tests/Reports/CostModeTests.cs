using System.Text.Json;
using Tally.Cli.Tests.Harness;

namespace Tally.Cli.Tests.Reports;

public class CostModeTests
{
    [Fact]
    public async Task Calculate_auto_and_display_differ_exactly_by_the_legacy_costUSD_line()
    {
        using var cli = new TallyCli();
        var auto = (await cli.RunAsync("daily", "--json", "-z", "UTC", "--mode", "auto")).Json();
        var calculate = (await cli.RunAsync("daily", "--json", "-z", "UTC", "--mode", "calculate")).Json();
        var display = (await cli.RunAsync("daily", "--json", "-z", "UTC", "--mode", "display")).Json();
        var byDefault = (await cli.RunAsync("daily", "--json", "-z", "UTC")).Json();

        var everythingCalculated = Prices.OpusFirst + Prices.OpusSecond + Prices.SonnetStreamed + Prices.SonnetSecond
            + Prices.SonnetLongContext + Prices.LegacyCalculated + Prices.SubagentHaiku;
        Assert.Equal(everythingCalculated, TotalCost(calculate));
        Assert.Equal(0.422887m, TotalCost(calculate));
        Assert.Equal(everythingCalculated - Prices.LegacyCalculated + Prices.LegacyReported, TotalCost(auto));
        Assert.Equal(0.469587m, TotalCost(auto));
        Assert.Equal(TotalCost(auto), TotalCost(byDefault));

        // display: only the source's own figures; the legacy line, written twice, still counts once.
        Assert.Equal(Prices.LegacyReported, TotalCost(display));

        // The 2026-11-18 day has no costUSD line: auto and calculate agree on it, to the last decimal.
        Assert.Equal(DayCost(calculate, "2026-11-18"), DayCost(auto, "2026-11-18"));
        Assert.Equal(0m, DayCost(display, "2026-11-18"));
        Assert.Equal(Prices.LegacyReported - Prices.LegacyCalculated, DayCost(auto, "2026-11-20") - DayCost(calculate, "2026-11-20"));

        // Only the Sonnet 4 breakdown (long-context call + legacy line) changes between modes.
        Assert.Equal(Prices.SonnetLongContext + Prices.LegacyCalculated, ModelCost(calculate, "2026-11-20", "claude-sonnet-4-20250514"));
        Assert.Equal(Prices.SonnetLongContext + Prices.LegacyReported, ModelCost(auto, "2026-11-20", "claude-sonnet-4-20250514"));
        Assert.Equal(Prices.LegacyReported, ModelCost(display, "2026-11-20", "claude-sonnet-4-20250514"));
        Assert.Equal(ModelCost(calculate, "2026-11-20", "claude-sonnet-4-5-20250929"), ModelCost(auto, "2026-11-20", "claude-sonnet-4-5-20250929"));

        // Tokens never depend on the mode; the provenance of the cost does.
        Assert.Equal(auto.GetProperty("totals").GetProperty("totalTokens").GetInt64(), calculate.GetProperty("totals").GetProperty("totalTokens").GetInt64());
        Assert.Equal(auto.GetProperty("totals").GetProperty("totalTokens").GetInt64(), display.GetProperty("totals").GetProperty("totalTokens").GetInt64());
        Assert.Equal("mixed", Day(auto, "2026-11-20").GetProperty("costSource").GetString());
        Assert.Equal("calculated", Day(calculate, "2026-11-20").GetProperty("costSource").GetString());
        Assert.Equal("mixed", Model(auto, "2026-11-20", "claude-sonnet-4-20250514").GetProperty("costSource").GetString());
        Assert.Equal(2, Model(auto, "2026-11-20", "claude-sonnet-4-20250514").GetProperty("requests").GetInt64());
        Assert.Equal("calculate", calculate.GetProperty("tally").GetProperty("costMode").GetString());
        Assert.Equal("display", display.GetProperty("tally").GetProperty("costMode").GetString());
    }

    private static decimal TotalCost(JsonElement json) => json.GetProperty("totals").GetProperty("totalCost").GetDecimal();

    private static JsonElement Day(JsonElement json, string date) =>
        json.GetProperty("daily").EnumerateArray().Single(d => d.GetProperty("date").GetString() == date);

    private static decimal DayCost(JsonElement json, string date) => Day(json, date).GetProperty("totalCost").GetDecimal();

    private static JsonElement Model(JsonElement json, string date, string model) =>
        Day(json, date).GetProperty("modelBreakdowns").EnumerateArray().Single(m => m.GetProperty("modelName").GetString() == model);

    private static decimal ModelCost(JsonElement json, string date, string model) => Model(json, date, model).GetProperty("cost").GetDecimal();
}
