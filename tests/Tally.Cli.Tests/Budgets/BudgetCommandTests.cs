using System.Text.Json;
using Tally.Alerts.Tests;
using Tally.Cli.Tests.Harness;
using static Tally.Cli.Tests.Harness.JsonChecks;

namespace Tally.Cli.Tests.Budgets;

public class BudgetCommandTests
{
    /// <summary>The sample's 2026-11-20 (UTC) usage, all of it in session 5f0c of acme-api, in auto mode.</summary>
    private static readonly decimal Day20 = Prices.SonnetStreamed + Prices.SonnetSecond + Prices.SonnetLongContext + Prices.LegacyReported + Prices.SubagentHaiku;

    /// <summary>An evening clock: the day's calls are hours old, so no burn rate and no projection.</summary>
    private static TallyCli Cli() => new() { Width = 1000, Clock = { Now = new DateTimeOffset(2026, 11, 20, 18, 0, 0, TimeSpan.Zero) } };

    [Fact]
    public async Task Set_list_and_rm_round_trip_through_the_budgets_file()
    {
        using var cli = Cli();
        var set = await cli.RunAsync("budget", "set", "daily", "--scope", "day", "--limit", "0.5", "--action", "pause");
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Contains("Budget daily set: all usage, per day, $0.50 per day, alerts at 50%, 80%, 100%, at the limit: pause.", set.Console, StringComparison.Ordinal);
        Assert.Equal(0, (await cli.RunAsync("budget", "set", "acme", "--scope", "project", "--target", "acme-api", "--limit", "$1", "--thresholds", "50,25")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("budget", "set", "per-session", "--scope", "session", "--limit", "0.25", "--action", "stop")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("budget", "set", "tokens", "--scope", "agent", "--per", "month", "--unit", "tokens", "--limit", "5000000")).ExitCode);

        var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(cli.ConfigDir, "budgets.json"))).RootElement.GetProperty("budgets");
        Assert.Equal(["daily", "acme", "per-session", "tokens"], file.EnumerateArray().Select(static b => b.GetProperty("name").GetString()));
        Assert.Equal("""{"name":"acme","scope":"project","target":"acme-api","period":"month","limit":1,"unit":"usd","thresholds":[25,50],"action":"warn"}""", Compact(file[1]));

        var list = await cli.RunAsync("budget", "list", "--json");
        var json = list.Json();
        Assert.Equal(["budgets", "file", "timezone"], Names(json));
        var budgets = json.GetProperty("budgets").EnumerateArray().ToList();
        Assert.Equal(["name", "scope", "period", "limit", "unit", "thresholds", "action", "status"], Names(budgets[0]));
        var daily = Assert.Single(budgets[0].GetProperty("status").EnumerateArray());
        Assert.Equal(Day20, daily.GetProperty("used").GetDecimal());
        Assert.Equal([50m], daily.GetProperty("crossed").EnumerateArray().Select(static c => c.GetDecimal()));
        Assert.Equal("2026-11-20T00:00:00.000Z", daily.GetProperty("window").GetProperty("start").GetString());
        Assert.Equal(JsonValueKind.Null, daily.GetProperty("actionDue").ValueKind);
        var acme = Assert.Single(budgets[1].GetProperty("status").EnumerateArray());
        Assert.Equal(Day20, acme.GetProperty("used").GetDecimal());
        var session = Assert.Single(budgets[2].GetProperty("status").EnumerateArray());
        Assert.Equal("5f0c2c1e-7a7b-4f0e-9a57-1c2d3e4f5a6b", session.GetProperty("subject").GetString());
        Assert.Equal("stop", session.GetProperty("actionDue").GetString());
        var agents = budgets[3].GetProperty("status").EnumerateArray().ToList();
        Assert.Equal(2, agents.Count); // the blog's and acme-api's working directories this month

        // The list synced first, and the sync checked the budgets: their alerts were said on stderr.
        Assert.Contains("⚠ alert: Budget daily: 50% of $0.50 per day used", list.Error, StringComparison.Ordinal);
        Assert.Contains("⚠ alert: Budget per-session (session 5f0c2c1e): limit of $0.25 per session reached", list.Error, StringComparison.Ordinal);

        var replaced = await cli.RunAsync("budget", "set", "DAILY", "--scope", "day", "--limit", "2");
        Assert.Contains("Budget DAILY replaced", replaced.Console, StringComparison.Ordinal);
        var removed = await cli.RunAsync("budget", "rm", "acme");
        Assert.Contains("Budget acme removed", removed.Console, StringComparison.Ordinal);
        json = (await cli.RunAsync("budget", "list", "--json", "--no-sync")).Json();
        Assert.Equal(["DAILY", "per-session", "tokens"], json.GetProperty("budgets").EnumerateArray().Select(static b => b.GetProperty("name").GetString()));
        Assert.Equal(2m, json.GetProperty("budgets")[0].GetProperty("limit").GetDecimal());

        var again = await cli.RunAsync("budget", "rm", "acme");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("there is no budget named \"acme\"", again.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--scope week --limit 1", "--scope \"week\" is not one of day, month, session, project, agent or plan.")]
    [InlineData("--scope day --limit ten", "--limit \"ten\" is not a number.")]
    [InlineData("--scope day --limit 1 --per month", "a day budget is summed per day, not per month")]
    [InlineData("--scope day --limit 1 --unit percent", "percent budgets are for the plan's windows")]
    [InlineData("--scope day --limit 1 --thresholds 50,x", "--thresholds: \"x\" is not a percentage.")]
    [InlineData("--scope day --limit 1 --action explode", "--action \"explode\" is not one of warn, pause or stop.")]
    [InlineData("--scope day --limit 0", "the limit must be above zero")]
    [InlineData("--scope day --limit 1 --target x", "a day budget has no target")]
    [InlineData("--limit 1", "Option '--scope' is required.")]
    public async Task A_bad_budget_is_refused_with_the_reason_and_nothing_is_written(string flags, string message)
    {
        using var cli = Cli();
        var result = await cli.RunAsync(["budget", "set", "b", .. flags.Split(' ')]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(cli.ConfigDir, "budgets.json")));
    }

    [Fact]
    public async Task A_plan_budget_is_in_percent_and_shows_that_no_utilisation_figure_is_known_yet()
    {
        using var cli = Cli();
        Assert.Equal(0, (await cli.RunAsync("budget", "set", "plan", "--scope", "plan", "--per", "weekly", "--limit", "90")).ExitCode);
        var json = (await cli.RunAsync("budget", "list", "--json")).Json();
        var budget = json.GetProperty("budgets")[0];
        Assert.Equal("percent", budget.GetProperty("unit").GetString());
        Assert.Equal("weekly", budget.GetProperty("period").GetString());
        var status = budget.GetProperty("status")[0];
        Assert.Equal(JsonValueKind.Null, status.GetProperty("used").ValueKind);
        Assert.Contains("no plan utilisation figure", status.GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Budgets_written_by_hand_are_checked_on_every_sync_and_each_alert_is_said_once()
    {
        using var cli = Cli();
        cli.WriteConfig("""{ "timezone": "UTC" }""");
        cli.WriteFile("config/budgets.json", """
            {
              // Written by hand: defaults left out, comments and trailing commas allowed.
              "budgets": [
                { "name": "daily", "scope": "day", "limit": 0.35, "thresholds": [50, 80, 100], },
                { "name": "blog", "scope": "project", "target": "blog", "limit": 0.1, "action": "pause" },
              ],
            }
            """);

        var first = await cli.RunAsync("daily", "--json");
        Assert.Equal(0, first.ExitCode);
        var lines = first.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static l => l.TrimEnd()).ToList();
        Assert.Equal(
            [
                $"⚠ alert: Budget daily: 80% of $0.35 per day used ($0.30 on 2026-11-20).",
                "⚠ alert: Budget blog (project blog): limit of $0.10 per month reached ($0.17 in 2026-11); action: pause.",
            ],
            lines);
        Assert.DoesNotContain("alert", first.Out, StringComparison.Ordinal); // stdout stays pure JSON

        var second = await cli.RunAsync("weekly");
        Assert.Equal(string.Empty, second.Error);

        var alerts = (await cli.RunAsync("alerts", "--json")).Json().GetProperty("alerts").EnumerateArray().ToList();
        Assert.Equal(["daily", "daily", "blog", "blog", "blog"], alerts.Select(static a => a.GetProperty("budget").GetProperty("name").GetString()));
        Assert.Equal([80m, 50m, 100m, 80m, 50m], alerts.Select(static a => a.GetProperty("threshold").GetDecimal()));
        var sent = alerts[0];
        Assert.Equal(["terminal", "desktop"], sent.GetProperty("deliveries").EnumerateArray().Select(static d => d.GetProperty("channel").GetString()).Order(StringComparer.Ordinal).Reverse());
        Assert.Equal("skipped", sent.GetProperty("deliveries").EnumerateArray().Single(static d => d.GetProperty("channel").GetString() == "desktop").GetProperty("outcome").GetString());
        Assert.Equal("superseded by the 80% alert of the same window", alerts[1].GetProperty("suppressed").GetString());
        Assert.Empty(alerts[1].GetProperty("deliveries").EnumerateArray());
    }

    [Fact]
    public async Task No_sync_checks_nothing_and_a_sync_command_checks_too()
    {
        using var cli = Cli();
        await cli.RunAsync("sync");
        cli.WriteFile("config/budgets.json", """{ "budgets": [ { "name": "daily", "scope": "day", "limit": 0.5 } ] }""");
        var quiet = await cli.RunAsync("daily", "--no-sync");
        Assert.Equal(string.Empty, quiet.Error);
        Assert.Empty((await cli.RunAsync("alerts", "--json", "--no-sync")).Json().GetProperty("alerts").EnumerateArray());

        var sync = await cli.RunAsync("sync");
        Assert.Contains("⚠ alert: Budget daily: 50% of $0.50 per day used", sync.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_budgets_file_is_a_warning_for_reports_and_stops_changes()
    {
        using var cli = Cli();
        var path = cli.WriteFile("config/budgets.json", """{ "budgets": [ { "name": "ok", "scope": "day", "limit": 0.5 }, { "name": "bad", "scope": "day" } ] }""");
        var report = await cli.RunAsync("daily", "--json", "-z", "UTC");
        Assert.Equal(0, report.ExitCode);
        Assert.Contains($"warning: {path}: budgets[1] (\"bad\"): \"limit\" is missing. This budget is not checked until it is fixed.", report.Error, StringComparison.Ordinal);
        Assert.Contains("⚠ alert: Budget ok:", report.Error, StringComparison.Ordinal);

        var before = File.ReadAllText(path);
        var set = await cli.RunAsync("budget", "set", "more", "--scope", "month", "--limit", "5");
        Assert.Equal(2, set.ExitCode);
        Assert.Contains("changing it now would drop what cannot be read", set.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(path));
    }

    [Fact]
    public async Task Alert_channels_follow_the_alerts_section_of_the_config()
    {
        using var cli = Cli();
        var config = cli.WriteConfig("""{ "alerts": { "terminal": false, "desktop": false, "webhook": { "url": "ftp://example.invalid/x", "maxAttempts": 99 }, "sound": true } }""");
        cli.WriteFile("config/budgets.json", """{ "budgets": [ { "name": "daily", "scope": "day", "limit": 0.5 } ] }""");
        var result = await cli.RunAsync("daily", "-z", "UTC");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"warning: {config}: \"alerts\".\"webhook\".\"url\" is not an absolute http:// or https:// URL; no webhook is called.", result.Error, StringComparison.Ordinal);
        Assert.Contains("\"maxAttempts\" must be a whole number from 1 to 20", result.Error, StringComparison.Ordinal);
        Assert.Contains("\"alerts\".\"sound\" is not an alert setting Tally knows", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("⚠ alert", result.Error, StringComparison.Ordinal);

        var alert = Assert.Single((await cli.RunAsync("alerts", "--json")).Json().GetProperty("alerts").EnumerateArray());
        Assert.Empty(alert.GetProperty("deliveries").EnumerateArray());
    }

    [Fact]
    public async Task A_webhook_gets_each_alert_that_is_sent_and_the_history_says_so()
    {
        await using var receiver = await HookReceiver.StartAsync(500);
        using var cli = Cli();
        cli.Variables["TALLY_ALERT_WEBHOOK_URL"] = receiver.SecretUrl.ToString();
        cli.WriteConfig("""{ "alerts": { "webhook": { "maxAttempts": 3, "maxSeconds": 30 } } }""");
        cli.WriteFile("config/budgets.json", """{ "budgets": [ { "name": "daily", "scope": "day", "limit": 0.35 } ] }""");

        var run = await cli.RunAsync("daily", "-z", "UTC");
        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("SECRETPART", run.ToString(), StringComparison.Ordinal);

        // The first POST got a 500, the retry a 200; only the 80% alert is sent (the 50% one was superseded).
        Assert.Equal(2, receiver.Requests.Count);
        using var payload = JsonDocument.Parse(receiver.Requests.Last().Body);
        Assert.Equal(80m, payload.RootElement.GetProperty("threshold").GetDecimal());
        Assert.Equal("Tally: Budget daily: 80% of $0.35 per day used ($0.30 on 2026-11-20).", payload.RootElement.GetProperty("text").GetString());

        var alerts = await cli.RunAsync("alerts", "--json");
        Assert.DoesNotContain("SECRETPART", alerts.Out, StringComparison.Ordinal);
        var webhook = alerts.Json().GetProperty("alerts")[0].GetProperty("deliveries").EnumerateArray().Single(static d => d.GetProperty("channel").GetString() == "webhook");
        Assert.Equal("sent", webhook.GetProperty("outcome").GetString());
        Assert.Equal(2, webhook.GetProperty("attempts").GetInt32());
        Assert.DoesNotContain("SECRETPART", File.ReadAllText(Path.Combine(cli.DataDir, "index.db")), StringComparison.Ordinal);
    }

    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element);
}
