using System.Text.Json;
using Tally.Cli.Tests.Harness;
using Tally.Cli.Tests.Snapshots;

namespace Tally.Cli.Tests.Limits;

public class BlocksTests
{
    /// <summary>The acme-api session's calls (09:50-10:52 on 2026-11-20), subagent and legacy line included.</summary>
    internal static readonly decimal AcmeCost = Prices.SonnetStreamed + Prices.SonnetSecond + Prices.SonnetLongContext + Prices.LegacyReported + Prices.SubagentHaiku;

    /// <summary>Before the sample's limit line (10:51): every acme call but the legacy one.</summary>
    internal static readonly decimal AcmeBeforeLimit = Prices.SonnetStreamed + Prices.SonnetSecond + Prices.SonnetLongContext + Prices.SubagentHaiku;

    internal static readonly DateTimeOffset ElevenAm = new(2026, 11, 20, 11, 0, 0, TimeSpan.Zero);

    private static List<JsonElement> Blocks(JsonElement json) => [.. json.GetProperty("blocks").EnumerateArray()];

    [Fact]
    public async Task Ccusage_and_tally_field_names_are_all_there()
    {
        // ccusage 20's `blocks --json` fields (checked against its output on the sample), then Tally's additions.
        string[] ccusage = ["id", "startTime", "endTime", "actualEndTime", "isActive", "isGap", "entries", "tokenCounts", "totalTokens", "costUSD", "models", "burnRate", "projection", "tokenLimitStatus", "usageLimitResetTime"];
        var block = await OnlyAsync(ElevenAm, "--active", "--token-limit", "max");
        Assert.Equal(["inputTokens", "outputTokens", "cacheCreationInputTokens", "cacheReadInputTokens"], JsonChecks.Names(block.GetProperty("tokenCounts")));
        Assert.Equal([.. ccusage, "windowSource", "cacheCreation5mTokens", "cacheCreation1hTokens", "unpricedRequests", "firstEntryTime", "modelBreakdowns"], JsonChecks.Names(block));
    }

    private static async Task<JsonElement> OnlyAsync(DateTimeOffset now, params string[] args)
    {
        using var cli = new TallyCli();
        cli.Clock.Now = now;
        return Assert.Single(Blocks((await cli.RunAsync(["blocks", "--json", "-z", "UTC", .. args])).Json()));
    }

    [Fact]
    public async Task The_sample_gives_two_blog_blocks_with_a_gap_and_the_acme_window_its_limit_line_placed()
    {
        using var cli = new TallyCli();
        var json = (await cli.RunAsync("blocks", "--json", "-z", "UTC")).Json();
        var blocks = Blocks(json);
        Assert.Equal(
            ["2026-11-18T09:00:00.000Z", "gap-2026-11-18T14:17:50.000Z", "2026-11-18T15:00:00.000Z", "gap-2026-11-18T21:17:46.000Z", "2026-11-20T07:00:00.000Z"],
            blocks.Select(static b => b.GetProperty("id").GetString()));

        var first = blocks[0];
        Assert.Equal(("2026-11-18T14:00:00.000Z", "2026-11-18T09:17:50.000Z"), (first.GetProperty("endTime").GetString(), first.GetProperty("actualEndTime").GetString()));
        Assert.Equal(Prices.OpusFirst, first.GetProperty("costUSD").GetDecimal());
        Assert.Equal("estimate", first.GetProperty("windowSource").GetString());

        var gap = blocks[1];
        Assert.True(gap.GetProperty("isGap").GetBoolean());
        Assert.Equal(JsonValueKind.Null, gap.GetProperty("actualEndTime").ValueKind);
        Assert.Equal(("2026-11-18T15:47:41.000Z", 0, "gap"), (gap.GetProperty("endTime").GetString(), gap.GetProperty("entries").GetInt32(), gap.GetProperty("windowSource").GetString()));

        var acme = blocks[^1];
        Assert.Equal(("2026-11-20T12:00:00.000Z", "limit-line", "2026-11-20T12:00:00.000Z"), (acme.GetProperty("endTime").GetString(), acme.GetProperty("windowSource").GetString(), acme.GetProperty("usageLimitResetTime").GetString()));
        Assert.Equal(5, acme.GetProperty("entries").GetInt32());
        Assert.Equal(AcmeCost, acme.GetProperty("costUSD").GetDecimal());
        Assert.Equal(["claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001", "claude-sonnet-4-20250514"], JsonChecks.Strings(acme.GetProperty("models")));
        Assert.False(acme.GetProperty("isActive").GetBoolean()); // noon: the window the limit line named has just reset
        Assert.Equal(JsonValueKind.Null, acme.GetProperty("burnRate").ValueKind);

        var tally = json.GetProperty("tally");
        Assert.Equal(("blocks", 5m), (tally.GetProperty("report").GetString(), tally.GetProperty("sessionLengthHours").GetDecimal()));
        Assert.Empty(json.GetProperty("weeklyWindows").EnumerateArray());
    }

    [Fact]
    public async Task The_active_block_has_ccusages_burn_rate_projection_and_token_limit_status()
    {
        var block = await OnlyAsync(ElevenAm, "--active", "--token-limit", "max");
        Assert.True(block.GetProperty("isActive").GetBoolean());

        // From the first call (09:50:03) to the last (10:52:00): 61.95 minutes.
        var minutes = 61.95m;
        var rate = block.GetProperty("burnRate");
        Assert.Equal(AcmeCost * 60m / minutes, rate.GetProperty("costPerHour").GetDecimal());
        var tokens = block.GetProperty("totalTokens").GetInt64();
        Assert.Equal(tokens / 61.95, rate.GetProperty("tokensPerMinute").GetDouble(), 6);

        var projection = block.GetProperty("projection");
        Assert.Equal(60, projection.GetProperty("remainingMinutes").GetInt64());
        Assert.Equal(Math.Round(AcmeCost + (AcmeCost / minutes * 60m), 2, MidpointRounding.AwayFromZero), projection.GetProperty("totalCost").GetDecimal());

        // max: the largest completed block is the blog's second (12,231 tokens).
        var status = block.GetProperty("tokenLimitStatus");
        Assert.Equal(12_231, status.GetProperty("limit").GetInt64());
        Assert.Equal(projection.GetProperty("totalTokens").GetInt64(), status.GetProperty("projectedUsage").GetInt64());
        Assert.Equal("exceeds", status.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("900000", "ok")]
    [InlineData("600000", "warning")]
    public async Task A_numeric_token_limit_gives_ok_or_warning_above_80_percent(string limit, string status)
    {
        var block = await OnlyAsync(ElevenAm, "--active", "--token-limit", limit);
        var projected = block.GetProperty("projection").GetProperty("totalTokens").GetInt64();
        Assert.InRange(projected, 480_001, 600_000); // so that the two limits fall on either side of 80%
        Assert.Equal(status, block.GetProperty("tokenLimitStatus").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Recent_keeps_three_days_and_active_only_the_active_block()
    {
        using var cli = new TallyCli();
        cli.Clock.Now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        var recent = Blocks((await cli.RunAsync("blocks", "--json", "--recent", "-z", "UTC")).Json());
        Assert.Equal(["2026-11-20T07:00:00.000Z"], recent.Select(static b => b.GetProperty("id").GetString()));

        var none = await cli.RunAsync("blocks", "--json", "--active", "-z", "UTC");
        Assert.Empty(Blocks(none.Json()));
        var table = await cli.RunAsync("blocks", "--active", "-z", "UTC");
        Assert.Contains("No active block", table.Console, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_length_cuts_other_blocks_and_ignores_5_hour_signals()
    {
        using var cli = new TallyCli();
        var json = (await cli.RunAsync("blocks", "--json", "-z", "UTC", "--session-length", "1")).Json();
        var acme = Blocks(json).Where(static b => !b.GetProperty("isGap").GetBoolean()).TakeLast(2).ToList();

        // 1-hour blocks: 09:00-10:00 holds the three 09:50 calls; 10:50 is more than an hour after 09:00.
        Assert.Equal(["2026-11-20T09:00:00.000Z", "2026-11-20T10:00:00.000Z"], acme.Select(static b => b.GetProperty("id").GetString()));
        Assert.Equal([3, 2], acme.Select(static b => b.GetProperty("entries").GetInt32()));
        Assert.All(acme, static b => Assert.Equal("estimate", b.GetProperty("windowSource").GetString()));
        Assert.Equal(1m, json.GetProperty("tally").GetProperty("sessionLengthHours").GetDecimal());
        Assert.Equal(AcmeCost, acme.Sum(static b => b.GetProperty("costUSD").GetDecimal()));
    }

    [Theory]
    [InlineData("--token-limit", "lots", "--token-limit \"lots\"")]
    [InlineData("--session-length", "0", "--session-length \"0\"")]
    [InlineData("--session-length", "five", "--session-length \"five\"")]
    [InlineData("--csv", null, "no CSV")]
    public async Task Bad_flags_exit_with_code_2(string flag, string? value, string message)
    {
        using var cli = new TallyCli();
        var result = await cli.RunAsync(value is null ? ["blocks", flag] : ["blocks", flag, value]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Weeks_from_the_plan_files_reset_sit_beside_the_blocks_with_the_plans_model_windows()
    {
        using var cli = new TallyCli();
        cli.WriteFile("config/plans.json", """{ "plan": "max5", "weeklyReset": "mon 00:00 UTC" }""");
        var json = (await cli.RunAsync("blocks", "--json", "-z", "UTC")).Json();
        var week = Assert.Single(json.GetProperty("weeklyWindows").EnumerateArray());
        Assert.Equal(("2026-11-16T00:00:00.000Z", "2026-11-23T00:00:00.000Z", true, "plan"),
            (week.GetProperty("startTime").GetString(), week.GetProperty("endTime").GetString(), week.GetProperty("isActive").GetBoolean(), week.GetProperty("windowSource").GetString()));
        Assert.Equal(Prices.OpusFirst + Prices.OpusSecond + AcmeCost, week.GetProperty("costUSD").GetDecimal());
        var opus = Assert.Single(week.GetProperty("modelWindows").EnumerateArray());
        Assert.Equal(("opus", 2, Prices.OpusFirst + Prices.OpusSecond), (opus.GetProperty("model").GetString(), opus.GetProperty("entries").GetInt32(), opus.GetProperty("costUSD").GetDecimal()));
    }

    [Fact]
    public async Task A_day_with_a_clock_change_keeps_its_25_hours_of_blocks_and_messages()
    {
        // Europe/Paris leaves summer time at 01:00 UTC on 2026-10-25: that day runs 22:00 UTC on the 24th to 23:00 UTC.
        using var cli = new TallyCli();
        string[] times = ["2026-10-24T21:59:00.000Z", "2026-10-24T22:30:00.000Z", "2026-10-25T01:30:00.000Z", "2026-10-25T22:59:00.000Z", "2026-10-25T23:00:00.000Z"];
        cli.WriteFile("claude/projects/-home-a-app/s1.jsonl", string.Join('\n', times.Select(static (t, i) =>
            $$$$"""{"type":"assistant","sessionId":"s1","cwd":"/home/a/app","uuid":"u{{{{i}}}}","timestamp":"{{{{t}}}}","message":{"id":"msg_{{{{i}}}}","model":"claude-opus-4-6","usage":{"input_tokens":10,"output_tokens":100}}}""")) + "\n");
        cli.Variables["CLAUDE_CONFIG_DIR"] = Path.Combine(cli.Root, "claude");
        cli.Clock.Now = new DateTimeOffset(2026, 10, 25, 22, 59, 30, TimeSpan.Zero);

        var blocks = Blocks((await cli.RunAsync("blocks", "--json", "-z", "Europe/Paris", "--since", "20261025", "--until", "20261025")).Json());
        Assert.Equal(["2026-10-24T22:00:00.000Z", "gap-2026-10-25T06:30:00.000Z", "2026-10-25T22:00:00.000Z"], blocks.Select(static b => b.GetProperty("id").GetString()));
        Assert.Equal([2, 0, 1], blocks.Select(static b => b.GetProperty("entries").GetInt32()));
        Assert.True(blocks[^1].GetProperty("isActive").GetBoolean());

        var today = (await cli.RunAsync("limits", "--json", "-z", "Europe/Paris")).Json().GetProperty("today");
        Assert.Equal(("2026-10-25", "2026-10-24T22:00:00.000Z", 3L, 3L), (today.GetProperty("date").GetString(), today.GetProperty("startTime").GetString(), today.GetProperty("messages").GetInt64(), today.GetProperty("opusMessages").GetInt64()));
    }

    [Fact]
    public async Task Blocks_table_with_breakdown()
    {
        using var cli = new TallyCli();
        var result = await cli.RunAsync("blocks", "-z", "UTC", "--breakdown");
        Assert.Equal(0, result.ExitCode);
        Snapshot.Match(cli.Scrub(result.Console));
    }

    [Fact]
    public async Task Blocks_active_table_in_paris_with_a_token_limit()
    {
        using var cli = new TallyCli();
        cli.Clock.Now = ElevenAm;
        var result = await cli.RunAsync("blocks", "-z", "Europe/Paris", "--active", "--token-limit", "500000");
        Assert.Equal(0, result.ExitCode);
        Snapshot.Match(cli.Scrub(result.Console));
    }
}
