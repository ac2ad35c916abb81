using System.Text.Json;
using Tally.Cli.Tests.Harness;
using Tally.Cli.Tests.Snapshots;

namespace Tally.Cli.Tests.Limits;

public class LimitsTests
{
    private static JsonElement Window(JsonElement json, string name, string? model = null) =>
        json.GetProperty("windows").EnumerateArray().Single(w => w.GetProperty("window").GetString() == name && w.GetProperty("model").GetString() == model);

    [Fact]
    public async Task While_the_samples_limit_line_has_not_reset_Claude_Code_is_blocked_and_nothing_claims_headroom()
    {
        using var cli = new TallyCli();
        cli.Clock.Now = BlocksTests.ElevenAm;
        var json = (await cli.RunAsync("limits", "--json", "-z", "UTC", "--plan", "max20")).Json();
        Assert.True(json.GetProperty("blocked").GetBoolean());
        Assert.Equal(("2026-11-20T12:00:00.000Z", "5h"), (json.GetProperty("blockedUntil").GetString(), json.GetProperty("blockedBy").GetString()));

        var five = Window(json, "5h");
        Assert.True(five.GetProperty("blocked").GetBoolean());
        Assert.Equal((100m, "limit-line"), (five.GetProperty("utilisation").GetProperty("percent").GetDecimal(), five.GetProperty("utilisation").GetProperty("source").GetString()));
        Assert.Equal(("2026-11-20T07:00:00.000Z", "2026-11-20T12:00:00.000Z", "limit-line", 60L),
            (five.GetProperty("startTime").GetString(), five.GetProperty("resetsAt").GetString(), five.GetProperty("resetSource").GetString(), five.GetProperty("resetsInMinutes").GetInt64()));

        // The hit calibrates the limit: what this machine used in the window up to the notice.
        var limit = five.GetProperty("limit");
        Assert.Equal((BlocksTests.AcmeBeforeLimit, "limit-line", 1), (limit.GetProperty("costUSD").GetDecimal(), limit.GetProperty("source").GetString(), limit.GetProperty("samples").GetInt32()));
        Assert.Equal((BlocksTests.AcmeCost, 5L, 0L, "index"),
            (five.GetProperty("used").GetProperty("costUSD").GetDecimal(), five.GetProperty("used").GetProperty("messages").GetInt64(), five.GetProperty("used").GetProperty("opusMessages").GetInt64(), five.GetProperty("used").GetProperty("source").GetString()));
        Assert.Equal(JsonValueKind.Null, five.GetProperty("projectedLimitAt").ValueKind);

        foreach (var window in json.GetProperty("windows").EnumerateArray())
        {
            Assert.Equal(0m, window.GetProperty("headroomPercent").GetDecimal());
        }

        var table = await cli.RunAsync("limits", "-z", "UTC", "--plan", "max20");
        Assert.Contains("Claude Code is blocked by its 5-hour limit until 12:00", table.Console, StringComparison.Ordinal);
        Assert.DoesNotContain("% ", table.Console.Split("BLOCKED")[0].Split('\n').Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_figure_names_its_source_and_unknowns_say_so()
    {
        using var cli = new TallyCli();
        var result = await cli.RunAsync("limits", "--json", "-z", "UTC", "--plan", "max5");
        var json = result.Json();
        Assert.False(json.GetProperty("blocked").GetBoolean());
        Assert.Equal(("max5", "plan", true), (json.GetProperty("plan").GetProperty("name").GetString(), json.GetProperty("plan").GetProperty("source").GetString(), json.GetProperty("plan").GetProperty("estimate").GetBoolean()));

        // Noon: the window the limit line named has reset and no message has opened a new one.
        var five = Window(json, "5h");
        Assert.Equal(JsonValueKind.Null, five.GetProperty("resetsAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, five.GetProperty("utilisation").GetProperty("percent").ValueKind);
        Assert.Contains("No 5-hour window is open", five.GetProperty("notes")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("limit-line", five.GetProperty("limit").GetProperty("source").GetString());

        var weekly = Window(json, "weekly");
        Assert.Equal(JsonValueKind.Null, weekly.GetProperty("resetsAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, weekly.GetProperty("limit").GetProperty("costUSD").ValueKind);
        Assert.Equal(JsonValueKind.Null, weekly.GetProperty("headroomPercent").ValueKind);
        Assert.Equal(BlocksTests.AcmeCost + Prices.OpusFirst + Prices.OpusSecond, weekly.GetProperty("used").GetProperty("costUSD").GetDecimal());
        Assert.Equal(2, weekly.GetProperty("used").GetProperty("opusMessages").GetInt64());
        Assert.Equal(2, Window(json, "model", "opus").GetProperty("used").GetProperty("messages").GetInt64());

        var today = json.GetProperty("today");
        Assert.Equal(("2026-11-20", 5L, 0L, BlocksTests.AcmeCost, "index"),
            (today.GetProperty("date").GetString(), today.GetProperty("messages").GetInt64(), today.GetProperty("opusMessages").GetInt64(), today.GetProperty("costUSD").GetDecimal(), today.GetProperty("source").GetString()));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("burnRate").ValueKind);

        // First use wrote the plan file, and said so on stderr.
        Assert.True(File.Exists(Path.Combine(cli.ConfigDir, "plans.json")));
        Assert.Contains("Wrote the default plan estimates", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_status_line_reading_is_the_utilisation_and_its_reset_places_the_windows()
    {
        using var cli = new TallyCli();
        cli.Clock.Now = new DateTimeOffset(2026, 11, 20, 12, 30, 0, TimeSpan.Zero);
        var input = """{"session_id":"5f0c2c1e-7a7b-4f0e-9a57-1c2d3e4f5a6b","rate_limits":{"five_hour":{"used_percentage":35,"resets_at":1795190400},"seven_day":{"used_percentage":61.5,"resets_at":1795392000}}}""";
        Assert.Equal(0, (await cli.RunWithInputAsync(input, "statusline")).ExitCode);
        var json = (await cli.RunAsync("limits", "--json", "-z", "UTC", "--plan", "pro")).Json();

        var five = Window(json, "5h");
        Assert.Equal(("2026-11-20T11:00:00.000Z", "2026-11-20T16:00:00.000Z", "status-line"), (five.GetProperty("startTime").GetString(), five.GetProperty("resetsAt").GetString(), five.GetProperty("resetSource").GetString()));
        var utilisation = five.GetProperty("utilisation");
        Assert.Equal((35m, "status-line", 35m, "2026-11-20T12:30:00.000Z"),
            (utilisation.GetProperty("percent").GetDecimal(), utilisation.GetProperty("source").GetString(), utilisation.GetProperty("observedPercent").GetDecimal(), utilisation.GetProperty("observedAt").GetString()));
        Assert.Equal(65m, five.GetProperty("headroomPercent").GetDecimal());

        var weekly = Window(json, "weekly");
        Assert.Equal(("2026-11-16T00:00:00.000Z", "2026-11-23T00:00:00.000Z", "status-line"), (weekly.GetProperty("startTime").GetString(), weekly.GetProperty("resetsAt").GetString(), weekly.GetProperty("resetSource").GetString()));
        Assert.Equal((61.5m, "status-line"), (weekly.GetProperty("utilisation").GetProperty("percent").GetDecimal(), weekly.GetProperty("utilisation").GetProperty("source").GetString()));

        // 61.5% while this machine used all of the sample's cost this week: the weekly limit that implies, calibrated.
        var all = BlocksTests.AcmeCost + Prices.OpusFirst + Prices.OpusSecond;
        Assert.Equal((all / 61.5m * 100m, "status-line"), (weekly.GetProperty("limit").GetProperty("costUSD").GetDecimal(), weekly.GetProperty("limit").GetProperty("source").GetString()));
    }

    [Fact]
    public async Task An_unknown_plan_is_a_usage_error_and_a_broken_plan_file_a_warning()
    {
        using var cli = new TallyCli();
        var unknown = await cli.RunAsync("limits", "--plan", "max50");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--plan \"max50\" is not a plan", unknown.Error, StringComparison.Ordinal);

        cli.WriteFile("config/plans.json", """{ "plan": "pro", "plans": { "pro": { "fiveHour": { "costUsd": "a lot" } } } }""");
        var broken = await cli.RunAsync("limits", "--json", "-z", "UTC");
        Assert.Equal(0, broken.ExitCode);
        Assert.Contains("fiveHour.costUsd must be a positive number", broken.Error, StringComparison.Ordinal);
        Assert.Equal("pro", broken.Json().GetProperty("plan").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Limits_table_while_blocked()
    {
        using var cli = new TallyCli();
        cli.Clock.Now = BlocksTests.ElevenAm;
        cli.WriteFile("config/plans.json", """{ "plan": "max5", "weeklyReset": "mon 09:00" }""");
        var result = await cli.RunAsync("limits", "-z", "UTC");
        Assert.Equal(0, result.ExitCode);
        Snapshot.Match(cli.Scrub(result.Console));
    }

    [Fact]
    public async Task Limits_table_with_status_line_readings()
    {
        using var cli = new TallyCli();
        cli.Clock.Now = new DateTimeOffset(2026, 11, 20, 12, 30, 0, TimeSpan.Zero);
        await cli.RunWithInputAsync("""{"rate_limits":{"five_hour":{"used_percentage":35,"resets_at":1795190400},"seven_day":{"used_percentage":61.5,"resets_at":1795392000}}}""", "statusline");
        cli.Clock.Now = new DateTimeOffset(2026, 11, 20, 12, 45, 0, TimeSpan.Zero);
        var result = await cli.RunAsync("limits", "-z", "Europe/Paris", "--plan", "max5");
        Assert.Equal(0, result.ExitCode);
        Snapshot.Match(cli.Scrub(result.Console));
    }
}
