using Tally.Cli.Tests.Harness;
using Tally.Cli.Tests.Snapshots;

namespace Tally.Cli.Tests.Budgets;

public class AlertsCommandTests
{
    private const string Budgets = """
        { "budgets": [
            { "name": "daily", "scope": "day", "limit": 0.35 },
            { "name": "blog", "scope": "project", "target": "blog", "limit": 0.1, "action": "pause" },
            { "name": "per-session", "scope": "session", "limit": 0.25, "action": "stop" },
            { "name": "plan", "scope": "plan", "unit": "percent", "limit": 90 }
        ] }
        """;

    private static TallyCli Cli()
    {
        var cli = new TallyCli { Width = 220, Clock = { Now = new DateTimeOffset(2026, 11, 20, 18, 0, 0, TimeSpan.Zero) } };
        cli.WriteConfig("""{ "timezone": "Europe/Berlin" }""");
        cli.WriteFile("config/budgets.json", Budgets);
        return cli;
    }

    [Fact]
    public async Task Alerts_table()
    {
        using var cli = Cli();
        await cli.RunAsync("sync");
        var result = await cli.RunAsync("alerts", "--no-sync");
        Assert.Equal(0, result.ExitCode);
        Snapshot.Match(cli.Scrub(result.Console));
    }

    [Fact]
    public async Task Budget_list_table()
    {
        using var cli = Cli();
        var result = await cli.RunAsync("budget", "list");
        Assert.Equal(0, result.ExitCode);
        Snapshot.Match(cli.Scrub(result.Console));
    }

    [Fact]
    public async Task Alerts_since_and_until_are_local_days()
    {
        using var cli = Cli();
        await cli.RunAsync("sync");
        cli.Clock.Now = new DateTimeOffset(2026, 11, 21, 23, 30, 0, TimeSpan.Zero); // 00:30 on the 22nd in Berlin
        cli.WriteFile("config/budgets.json", """{ "budgets": [ { "name": "month", "scope": "month", "limit": 0.5 } ] }""");
        await cli.RunAsync("sync");

        static int Count(CliResult r) => r.Json().GetProperty("alerts").GetArrayLength();
        // Eight alerts raised on the 20th (three sent, five superseded), two just after midnight on the 22nd.
        Assert.Equal(10, Count(await cli.RunAsync("alerts", "--json", "--no-sync")));
        Assert.Equal(8, Count(await cli.RunAsync("alerts", "--json", "--no-sync", "--until", "20261121")));
        Assert.Equal(2, Count(await cli.RunAsync("alerts", "--json", "--no-sync", "--since", "2026-11-22")));
        Assert.Equal(0, Count(await cli.RunAsync("alerts", "--json", "--no-sync", "--since", "2026-11-22", "-z", "UTC")));
        Assert.Equal("Europe/Berlin", (await cli.RunAsync("alerts", "--json", "--no-sync")).Json().GetProperty("timezone").GetString());
    }

    [Theory]
    [InlineData("--since", "2026-13-01", "--since \"2026-13-01\" is not a date")]
    [InlineData("--timezone", "Mars/Base", "time zone \"Mars/Base\" is unknown")]
    public async Task Bad_flags_are_usage_errors(string flag, string value, string message)
    {
        using var cli = Cli();
        var result = await cli.RunAsync("alerts", flag, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_alerts_says_so()
    {
        using var cli = new TallyCli();
        var result = await cli.RunAsync("alerts");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("No alerts.", result.Console.Trim());
        Assert.Equal("No budgets yet.", (await cli.RunAsync("budget", "list")).Console.Split('.')[0] + ".");
    }
}
