using System.Text.Json;
using Tally.Cli.Tests.Harness;

namespace Tally.Cli.Tests.Reports;

public class DatesAndZonesTests
{
    private static readonly TimeZoneInfo Kiritimati = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Kiritimati");

    [Fact]
    public async Task Timezone_moves_calls_across_midnight_into_other_days()
    {
        using var cli = new TallyCli();
        var json = (await cli.RunAsync("daily", "--json", "--timezone", "Pacific/Kiritimati")).Json();

        // UTC+14: 11-18 09:17Z stays on the 18th (23:17); 15:47Z and 16:17Z move to the 19th; 11-20 09:50Z stays on
        // the 20th (23:50); the long-context call at 10:50Z and the legacy line at 10:52Z move to the 21st.
        var days = Days(json);
        Assert.Equal(["2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21"], days.Keys);
        JsonChecks.AssertTokens(days["2026-11-18"], input: 12, output: 700, cacheCreation: 3_000, cacheRead: 8_000);
        Assert.Equal(Prices.OpusFirst, Cost(days["2026-11-18"]));
        JsonChecks.AssertTokens(days["2026-11-19"], input: 4 + 7, output: 150 + 70, cacheCreation: 0, cacheRead: 11_000 + 1_000);
        Assert.Equal(Prices.OpusSecond + Prices.Unknown, Cost(days["2026-11-19"]));
        Assert.True(days["2026-11-19"].GetProperty("missingPricing").GetBoolean());
        JsonChecks.AssertTokens(days["2026-11-20"], input: 3 + 6 + 10, output: 412 + 950 + 300, cacheCreation: 12_000 + 2_000 + 5_000, cacheRead: 15_000 + 27_000);
        Assert.Equal(Prices.SonnetStreamed + Prices.SonnetSecond + Prices.SubagentHaiku, Cost(days["2026-11-20"]));
        JsonChecks.AssertTokens(days["2026-11-21"], input: 5 + 100, output: 1_200 + 200, cacheCreation: 0, cacheRead: 210_000);
        Assert.Equal(Prices.SonnetLongContext + Prices.LegacyReported, Cost(days["2026-11-21"]));
        Assert.Equal(0.469587m, json.GetProperty("totals").GetProperty("totalCost").GetDecimal());
        Assert.Equal("Pacific/Kiritimati", json.GetProperty("tally").GetProperty("timezone").GetString());
    }

    [Fact]
    public async Task Without_a_timezone_flag_days_are_cut_in_the_local_zone()
    {
        using var cli = new TallyCli { LocalZone = Kiritimati };
        var local = (await cli.RunAsync("daily", "--json")).Json();
        var flagged = (await cli.RunAsync("daily", "--json", "-z", "Pacific/Kiritimati")).Json();
        Assert.Equal(flagged.GetRawText(), local.GetRawText());

        var utc = (await cli.RunAsync("daily", "--json", "-z", "UTC")).Json();
        Assert.Equal(["2026-11-18", "2026-11-20"], Days(utc).Keys);
    }

    [Theory]
    [InlineData("20261119", "20261120")]
    [InlineData("2026-11-19", "2026-11-20")]
    [InlineData("20261119", "2026-11-20")]
    public async Task Since_and_until_are_inclusive_days_in_the_report_zone(string since, string until)
    {
        using var cli = new TallyCli();
        var json = (await cli.RunAsync("daily", "--json", "-z", "Pacific/Kiritimati", "--since", since, "--until", until)).Json();
        var days = Days(json);
        Assert.Equal(["2026-11-19", "2026-11-20"], days.Keys);
        var totals = json.GetProperty("totals");
        JsonChecks.AssertTokens(totals, input: 4 + 7 + 3 + 6 + 10, output: 150 + 70 + 412 + 950 + 300, cacheCreation: 19_000, cacheRead: 12_000 + 42_000);
        Assert.Equal(Prices.OpusSecond + Prices.SonnetStreamed + Prices.SonnetSecond + Prices.SubagentHaiku, totals.GetProperty("totalCost").GetDecimal());
        Assert.Equal("2026-11-19", json.GetProperty("tally").GetProperty("since").GetString());
        Assert.Equal("2026-11-20", json.GetProperty("tally").GetProperty("until").GetString());
    }

    [Fact]
    public async Task The_same_day_range_selects_different_calls_in_another_zone()
    {
        using var cli = new TallyCli();

        // In UTC nothing happened on the 19th; in Kiritimati two calls did.
        var utc = (await cli.RunAsync("daily", "--json", "-z", "UTC", "-s", "2026-11-19", "-u", "2026-11-19")).Json();
        Assert.Empty(utc.GetProperty("daily").EnumerateArray());
        Assert.Equal(0m, utc.GetProperty("totals").GetProperty("totalCost").GetDecimal());

        var kiritimati = (await cli.RunAsync("daily", "--json", "-z", "Pacific/Kiritimati", "-s", "2026-11-19", "-u", "2026-11-19")).Json();
        Assert.Equal(2, kiritimati.GetProperty("totals").GetProperty("requests").GetInt64());

        // A single day in UTC: the 20th's last call (10:52Z) is in, the 18th's are out.
        var day = (await cli.RunAsync("daily", "--json", "-z", "UTC", "--since", "20261120", "--until", "20261120")).Json();
        Assert.Equal(["2026-11-20"], Days(day).Keys);
        Assert.Equal(5, day.GetProperty("totals").GetProperty("requests").GetInt64());
    }

    [Theory]
    [InlineData("--since", "2026-13-01", "--since \"2026-13-01\" is not a date")]
    [InlineData("--until", "2026-02-30", "--until \"2026-02-30\" is not a date")]
    [InlineData("--timezone", "Mars/Base", "time zone \"Mars/Base\" is unknown")]
    [InlineData("--order", "sideways", "--order \"sideways\" is not asc or desc")]
    [InlineData("--mode", "guess", "--mode \"guess\" is not one of auto, calculate, display")]
    public async Task A_bad_value_exits_with_code_2_and_names_the_problem(string flag, string value, string message)
    {
        using var cli = new TallyCli();
        var result = await cli.RunAsync("daily", "--json", flag, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Out);
    }

    [Fact]
    public async Task Json_and_csv_together_exit_with_code_2()
    {
        using var cli = new TallyCli();
        var result = await cli.RunAsync("daily", "--json", "--csv");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--json and --csv cannot be used together", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Every_bad_value_is_listed_at_once()
    {
        using var cli = new TallyCli();
        var result = await cli.RunAsync("weekly", "--since", "2026-11-20", "--until", "2026-11-19", "-z", "Mars/Base", "--start-of-week", "someday");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--since 2026-11-20 is after --until 2026-11-19", result.Error, StringComparison.Ordinal);
        Assert.Contains("time zone \"Mars/Base\" is unknown", result.Error, StringComparison.Ordinal);
        Assert.Contains("--start-of-week \"someday\" is not a day of the week", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    private static Dictionary<string, JsonElement> Days(JsonElement json) =>
        json.GetProperty("daily").EnumerateArray().ToDictionary(static d => d.GetProperty("date").GetString()!);

    private static decimal Cost(JsonElement row) => row.GetProperty("totalCost").GetDecimal();
}
