using System.Diagnostics;
using System.Text.Json;
using Tally.Cli.Tests.Harness;
using Tally.Cli.Tests.Snapshots;

namespace Tally.Cli.Tests.Agents;

public class AgentsTests
{
    private const string Acme = "5f0c2c1e-7a7b-4f0e-9a57-1c2d3e4f5a6b";
    private const string Blog = "9b1e4d2a-3c4f-4a5b-8c6d-7e8f9a0b1c2d";
    private const string Resumed = "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f";

    /// <summary>Three minutes after the acme-api session's last call (10:52).</summary>
    private static readonly DateTimeOffset SoonAfterAcme = new(2026, 11, 20, 10, 55, 0, TimeSpan.Zero);

    private const string SubscriptionWithBlogOnApi = """
        {
          "authMode": "subscription",
          "billingOverrides": { "blog": "api" },
          "agentLabels": { "9b1e4d2a-3c4f-4a5b-8c6d-7e8f9a0b1c2d": "rust async post" }
        }
        """;

    [Fact]
    public async Task A_session_and_its_subagent_are_one_card_with_the_sessions_figures()
    {
        using var cli = new TallyCli();
        cli.Clock.Now = SoonAfterAcme;
        var json = (await cli.RunAsync("agents", "--json", "-z", "UTC")).Json();

        // The default range is the last 24 hours: only the acme-api session.
        var card = Assert.Single(json.GetProperty("agents").EnumerateArray());
        Assert.Equal(Acme, card.GetProperty("sessionId").GetString());
        Assert.Equal("acme-api", card.GetProperty("name").GetString());
        Assert.Equal(("main", "branch"), (card.GetProperty("label").GetString(), card.GetProperty("labelSource").GetString()));
        Assert.Equal("/home/alice/work/acme-api", card.GetProperty("cwd").GetString());
        Assert.Equal(5, card.GetProperty("messages").GetInt64());
        JsonChecks.AssertTokens(card, input: 124, output: 3_062, cacheCreation: 19_000, cacheRead: 252_000);
        Assert.Equal(Prices.SonnetStreamed + Prices.SonnetSecond + Prices.SonnetLongContext + Prices.LegacyReported + Prices.SubagentHaiku, card.GetProperty("totalCost").GetDecimal());
        Assert.Equal(1, card.GetProperty("subagentCount").GetInt32());
        var sub = Assert.Single(card.GetProperty("subagents").EnumerateArray());
        Assert.Equal(("7d3f2a", 1L), (sub.GetProperty("agentId").GetString(), sub.GetProperty("messages").GetInt64()));
        Assert.Equal(Prices.SubagentHaiku, sub.GetProperty("totalCost").GetDecimal());

        // Working for: the first call (09:50:03) to the last (10:52:00).
        Assert.Equal("2026-11-20T09:50:03.000Z", card.GetProperty("startedAt").GetString());
        Assert.Equal(3_717, card.GetProperty("workingForSeconds").GetInt64());
        Assert.Equal(180, card.GetProperty("idleForSeconds").GetInt64());
        Assert.Equal(JsonValueKind.Null, card.GetProperty("changes").ValueKind);
    }

    [Fact]
    public async Task Status_is_active_within_the_window_at_the_given_time_and_idle_after_it()
    {
        using var cli = new TallyCli();
        cli.Clock.Now = SoonAfterAcme;
        var active = (await cli.RunAsync("agents", "--json")).Json().GetProperty("agents")[0];
        Assert.Equal("active", active.GetProperty("status").GetString());
        Assert.Equal("idle", active.GetProperty("subagents")[0].GetProperty("status").GetString());

        cli.Clock.Now = new DateTimeOffset(2026, 11, 20, 10, 57, 1, TimeSpan.Zero);
        var idle = (await cli.RunAsync("agents", "--json")).Json();
        Assert.Equal("idle", idle.GetProperty("agents")[0].GetProperty("status").GetString());
        Assert.Equal(0, idle.GetProperty("totals").GetProperty("active").GetInt32());
        Assert.Empty((await cli.RunAsync("agents", "--json", "--active")).Json().GetProperty("agents").EnumerateArray());

        // A wider window, from the flag or from config.json.
        Assert.Single((await cli.RunAsync("agents", "--json", "--active", "--active-minutes", "10")).Json().GetProperty("agents").EnumerateArray());
        cli.WriteConfig("""{ "activeMinutes": 10 }""");
        var configured = (await cli.RunAsync("agents", "--json", "--active")).Json();
        Assert.Equal(10, configured.GetProperty("tally").GetProperty("activeWindowMinutes").GetDecimal());
        Assert.Single(configured.GetProperty("agents").EnumerateArray());
    }

    [Fact]
    public async Task Billing_comes_from_the_auth_mode_and_a_project_override_and_a_label_from_config()
    {
        using var cli = new TallyCli();
        cli.Clock.Now = SoonAfterAcme;
        cli.WriteConfig(SubscriptionWithBlogOnApi);
        var result = await cli.RunAsync("agents", "--json", "--since", "2026-11-18", "-z", "UTC");

        // No warning about the configuration: the only line on stderr is the alert for the sample's limit line (10:51,
        // its limit lifting at noon), which this first sync reads.
        Assert.Equal("⚠ alert: Rate limit hit: the five-hour limit was reached (a limit line in a transcript); resets at 12:00.", result.Error.Trim());
        var agents = result.Json().GetProperty("agents").EnumerateArray().ToDictionary(static a => a.GetProperty("sessionId").GetString()!);

        Assert.Equal([Acme, Resumed, Blog], result.Json().GetProperty("agents").EnumerateArray().Select(static a => a.GetProperty("sessionId").GetString()));
        Assert.Equal(("subscription", "authMode"), Billing(agents[Acme]));
        Assert.Equal(("api", "project"), Billing(agents[Blog]));
        Assert.Equal(("api", "project"), Billing(agents[Resumed]));
        Assert.Equal(("rust async post", "configured"), (agents[Blog].GetProperty("label").GetString(), agents[Blog].GetProperty("labelSource").GetString()));
        Assert.Equal("subscription", result.Json().GetProperty("tally").GetProperty("authMode").GetString());

        // Without an auth mode the source is unknown, and the table says how to set it.
        using var bare = new TallyCli();
        bare.Clock.Now = SoonAfterAcme;
        Assert.Equal(("unknown", "none"), Billing((await bare.RunAsync("agents", "--json")).Json().GetProperty("agents")[0]));
        Assert.Contains("set \"authMode\" in config.json", (await bare.RunAsync("agents")).Console, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_auth_mode_or_override_is_reported_and_ignored()
    {
        using var cli = new TallyCli();
        cli.Clock.Now = SoonAfterAcme;
        cli.WriteConfig("""{ "authMode": "free", "billingOverrides": { "blog": "cash" }, "activeMinutes": -1 }""");
        var result = await cli.RunAsync("agents", "--json");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"authMode\": \"free\" is not a valid value", result.Error, StringComparison.Ordinal);
        Assert.Contains("\"cash\" is not subscription or api", result.Error, StringComparison.Ordinal);
        Assert.Contains("\"activeMinutes\" must be a number of minutes", result.Error, StringComparison.Ordinal);
        Assert.Equal("unknown", result.Json().GetProperty("agents")[0].GetProperty("billing").GetString());
    }

    [Fact]
    public async Task Project_filter_and_range_select_the_cards()
    {
        using var cli = new TallyCli();
        var blog = (await cli.RunAsync("agents", "--json", "--since", "2026-11-18", "--project", "blog", "-z", "UTC")).Json();
        Assert.Equal([Resumed, Blog], blog.GetProperty("agents").EnumerateArray().Select(static a => a.GetProperty("sessionId").GetString()));
        var before = (await cli.RunAsync("agents", "--json", "--until", "2026-11-19", "-z", "UTC")).Json();
        Assert.Equal(2, before.GetProperty("agents").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, before.GetProperty("tally").GetProperty("from").ValueKind);

        var bad = await cli.RunAsync("agents", "--active-minutes", "0");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--active-minutes 0 is not between 0 and 1440", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agents_table()
    {
        using var cli = new TallyCli();
        cli.Clock.Now = SoonAfterAcme;
        cli.WriteConfig(SubscriptionWithBlogOnApi);
        var result = await cli.RunAsync("agents", "--since", "2026-11-18", "-z", "UTC");
        Assert.Equal(0, result.ExitCode);
        Snapshot.Match(cli.Scrub(result.Console));
    }

    [GitFact]
    public async Task The_card_shows_the_working_trees_uncommitted_lines_from_git()
    {
        using var cli = new TallyCli(noClaudeData: true);
        var repo = Path.Combine(cli.Root, "repo");
        Directory.CreateDirectory(repo);
        Git(repo, "init", "-q");
        File.WriteAllLines(Path.Combine(repo, "a.txt"), ["one", "two", "three"]);
        File.WriteAllLines(Path.Combine(repo, "b.txt"), ["keep"]);
        Git(repo, "add", ".");
        Git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "start");

        // Staged and unstaged changes both count: +3 -1 in a.txt (one line changed, two added), +1 in b.txt.
        File.WriteAllLines(Path.Combine(repo, "a.txt"), ["one", "TWO", "three", "four", "five"]);
        File.AppendAllLines(Path.Combine(repo, "b.txt"), ["more"]);
        Git(repo, "add", "b.txt");
        File.WriteAllText(Path.Combine(repo, "untracked.txt"), "not counted\n");

        var claude = Path.Combine(cli.Root, "claude");
        cli.Variables["CLAUDE_CONFIG_DIR"] = claude;
        cli.WriteFile("claude/projects/-repo/s1.jsonl", Transcript.Assistant("s1", repo, "feature", "msg_git1", cli.Clock.Now.AddMinutes(-2)) + "\n");
        cli.WriteFile("claude/projects/-gone/s2.jsonl", Transcript.Assistant("s2", Path.Combine(cli.Root, "gone"), "main", "msg_git2", cli.Clock.Now.AddMinutes(-1)) + "\n");

        var json = (await cli.RunAsync("agents", "--json")).Json();
        var cards = json.GetProperty("agents").EnumerateArray().ToDictionary(static a => a.GetProperty("sessionId").GetString()!);
        var changes = cards["s1"].GetProperty("changes");
        Assert.Equal((4L, 1L, 2), (changes.GetProperty("added").GetInt64(), changes.GetProperty("removed").GetInt64(), changes.GetProperty("files").GetInt32()));
        Assert.Equal(JsonValueKind.Null, cards["s2"].GetProperty("changes").ValueKind);
        Assert.Contains("+4 -1", (await cli.RunAsync("agents")).Console, StringComparison.Ordinal);

        var skipped = (await cli.RunAsync("agents", "--json", "--no-changes")).Json();
        Assert.All(skipped.GetProperty("agents").EnumerateArray(), static a => Assert.Equal(JsonValueKind.Null, a.GetProperty("changes").ValueKind));
    }

    private static (string?, string?) Billing(JsonElement card) => (card.GetProperty("billing").GetString(), card.GetProperty("billingFrom").GetString());

    private static void Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var git = Process.Start(start)!;
        var error = git.StandardError.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', arguments)}: {error}");
    }
}
