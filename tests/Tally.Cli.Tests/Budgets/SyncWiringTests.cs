using System.Text.Json;
using Tally.Cli.Tests.Harness;

namespace Tally.Cli.Tests.Budgets;

/// <summary>What a sync raises besides budget alerts: the rate-limit alert for a limit line still in force, and plan
/// utilisation for percent budgets.</summary>
public class SyncWiringTests
{
    /// <summary>After the sample's limit line (10:51), before the reset it names (12:00).</summary>
    private static readonly DateTimeOffset BeforeReset = new(2026, 11, 20, 11, 0, 0, TimeSpan.Zero);

    private static List<JsonElement> RateLimitAlerts(JsonElement json) =>
        [.. json.GetProperty("alerts").EnumerateArray().Where(static a => a.GetProperty("kind").GetString() == "rate-limit")];

    [Fact]
    public async Task A_limit_line_in_force_raises_one_rate_limit_alert_however_often_it_is_synced()
    {
        using var cli = new TallyCli { Clock = { Now = BeforeReset } };
        var claude = cli.CopySample();
        var first = await cli.RunAsync("sync");
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("Rate limit hit", first.Error, StringComparison.Ordinal);

        // The same transcript replaced by a copy of itself: read again from its start, its limit line is seen again.
        var transcript = Directory.EnumerateFiles(claude, "5f0c2c1e-*.jsonl", SearchOption.AllDirectories).Single();
        var text = File.ReadAllText(transcript);
        File.Delete(transcript);
        File.WriteAllText(transcript, text + "\n");
        cli.Clock.Now = BeforeReset.AddMinutes(30);
        var second = await cli.RunAsync("sync");
        Assert.DoesNotContain("Rate limit hit", second.Error, StringComparison.Ordinal);

        var alerts = RateLimitAlerts((await cli.RunAsync("alerts", "--json", "--no-sync")).Json());
        var alert = Assert.Single(alerts);
        Assert.Contains("five-hour", alert.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_limit_line_whose_limit_has_reset_raises_nothing()
    {
        using var cli = new TallyCli(); // noon: the window the sample's limit line named has just reset
        await cli.RunAsync("sync");
        Assert.Empty(RateLimitAlerts((await cli.RunAsync("alerts", "--json", "--no-sync")).Json()));
    }

    [Fact]
    public async Task Rate_limit_alerts_turned_off_raise_nothing()
    {
        using var cli = new TallyCli { Clock = { Now = BeforeReset } };
        cli.WriteConfig("""{ "alerts": { "rateLimits": false } }""");
        var result = await cli.RunAsync("sync");
        Assert.DoesNotContain("Rate limit hit", result.Error, StringComparison.Ordinal);
        Assert.Empty(RateLimitAlerts((await cli.RunAsync("alerts", "--json", "--no-sync")).Json()));
    }

    [Fact]
    public async Task A_plan_budget_takes_the_weekly_utilisation_the_status_line_reported_and_alerts_on_it()
    {
        using var cli = new TallyCli { Clock = { Now = new DateTimeOffset(2026, 11, 20, 12, 30, 0, TimeSpan.Zero) } };
        await cli.RunWithInputAsync("""{"rate_limits":{"five_hour":{"used_percentage":35,"resets_at":1795190400},"seven_day":{"used_percentage":61.5,"resets_at":1795392000}}}""", "statusline");
        Assert.Equal(0, (await cli.RunAsync("budget", "set", "plan", "--scope", "plan", "--per", "weekly", "--limit", "80")).ExitCode);

        var sync = await cli.RunAsync("sync");
        Assert.Equal(0, sync.ExitCode);
        var status = (await cli.RunAsync("budget", "list", "--json", "--no-sync")).Json().GetProperty("budgets")[0].GetProperty("status")[0];
        Assert.Equal(61.5m, status.GetProperty("used").GetDecimal());
        Assert.Equal("utilisation from status-line", status.GetProperty("note").GetString());
        Assert.Equal("2026-11-23T00:00:00.000Z", status.GetProperty("window").GetProperty("end").GetString());

        // 61.5 of 80 is past the 50% threshold of the budget, not its 80%.
        var alerts = (await cli.RunAsync("alerts", "--json", "--no-sync")).Json().GetProperty("alerts").EnumerateArray().ToList();
        var alert = Assert.Single(alerts, static a => a.GetProperty("kind").GetString() != "rate-limit");
        Assert.Contains("plan", alert.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
