using System.Text.Json;
using Tally.Cli.Tests.Harness;
using Tally.Cli.Tests.Snapshots;
using Tally.Core.Limits;
using Tally.Storage.Sqlite;

namespace Tally.Cli.Tests.Limits;

public class StatusLineTests
{
    private const string AcmeSession = "5f0c2c1e-7a7b-4f0e-9a57-1c2d3e4f5a6b";

    private static string Input(string transcript, string extra = ""","rate_limits":{"five_hour":{"used_percentage":100,"resets_at":1795176000},"seven_day":{"used_percentage":12.5,"resets_at":1795392000}}""") =>
        $$"""
        {"hook_event_name":"Status","session_id":"{{AcmeSession}}","transcript_path":{{JsonSerializer.Serialize(transcript)}},"cwd":"/home/alice/work/acme-api",
         "model":{"id":"claude-sonnet-4-5-20250929","display_name":"Sonnet 4.5"},"version":"2.1.90",
         "cost":{"total_cost_usd":0.31,"total_duration_ms":60000},
         "context_window":{"total_input_tokens":300000,"total_output_tokens":3000,"context_window_size":200000,
           "current_usage":{"input_tokens":5,"output_tokens":1200,"cache_creation_input_tokens":0,"cache_read_input_tokens":150000},"used_percentage":75}{{extra}}}
        """;

    private static string Transcript(TallyCli cli, string claude) => Path.Combine(claude, "projects", "-home-alice-work-acme-api", AcmeSession + ".jsonl");

    private static TallyCli WithSample(out string transcript)
    {
        var cli = new TallyCli();
        cli.Clock.Now = BlocksTests.ElevenAm;
        cli.Variables["NO_COLOR"] = "1";
        transcript = Transcript(cli, cli.CopySample());
        return cli;
    }

    [Fact]
    public async Task Status_line_for_a_session_in_an_active_window()
    {
        using var cli = WithSample(out var transcript);
        var result = await cli.RunWithInputAsync(Input(transcript), "statusline");
        Assert.Equal((0, string.Empty, string.Empty), (result.ExitCode, result.Console, result.Error));
        Snapshot.Match(result.Out);
    }

    [Fact]
    public async Task The_figures_are_the_indexs_exact_ones_and_only_the_named_session_was_read()
    {
        using var cli = WithSample(out var transcript);
        var line = (await cli.RunWithInputAsync(Input(transcript), "statusline")).Out;

        // Session and block: the acme session with its subagent, from the index (not Claude Code's ~$0.31 estimate).
        Assert.StartsWith("🤖 Sonnet 4.5 | 💰 $0.30 session / $0.30 today / $0.30 block (1h 0m left)", line, StringComparison.Ordinal);
        Assert.Contains("🧠 150,005 (75% of 200k)", line, StringComparison.Ordinal);
        Assert.Contains("⏳ 5h 100% (resets 12:00) · 7d 12.5%", line, StringComparison.Ordinal);
        Assert.Single(line.Split('\n'), static l => l.Length > 0);

        // No history scan: the blog sessions' transcripts were never read.
        var daily = (await cli.RunAsync("daily", "--json", "--no-sync", "-z", "UTC")).Json();
        Assert.Equal(["2026-11-20"], daily.GetProperty("daily").EnumerateArray().Select(static d => d.GetProperty("date").GetString()));
        Assert.Equal(BlocksTests.AcmeCost, JsonChecks.TotalCost(daily));
    }

    [Fact]
    public async Task Colour_unless_NO_COLOR()
    {
        using var cli = WithSample(out var transcript);
        cli.Variables["NO_COLOR"] = null;
        var coloured = (await cli.RunWithInputAsync(Input(transcript), "statusline")).Out;
        Assert.Contains("\u001b[33m75%\u001b[0m", coloured, StringComparison.Ordinal); // context at 75%: yellow
        Assert.Contains("\u001b[31m100%\u001b[0m", coloured, StringComparison.Ordinal); // the 5-hour limit is hit: red
        Assert.Contains("\u001b[32m12.5%\u001b[0m", coloured, StringComparison.Ordinal);
        cli.Variables["NO_COLOR"] = "1";
        Assert.DoesNotContain("\u001b[", (await cli.RunWithInputAsync(Input(transcript), "statusline")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_limits_are_stored_once_however_often_they_are_rendered()
    {
        using var cli = WithSample(out var transcript);
        for (var i = 0; i < 3; i++)
        {
            cli.Clock.Now = BlocksTests.ElevenAm.AddSeconds(i * 20);
            await cli.RunWithInputAsync(Input(transcript), "statusline");
        }

        await using var store = SqliteUsageStore.Open(Path.Combine(cli.DataDir, "index.db"));
        var signals = (await store.SignalsAsync(DateTimeOffset.MinValue, CancellationToken.None)).Where(static s => s.Kind == SignalKind.StatusLine).ToList();
        Assert.Equal(2, signals.Count);
        var five = signals.Single(static s => s.Window == WindowKind.FiveHour);
        Assert.Equal((100m, DateTimeOffset.FromUnixTimeSeconds(1795176000), BlocksTests.ElevenAm, BlocksTests.ElevenAm.AddSeconds(40)),
            (five.Utilisation!.Value, five.ResetsAt!.Value, five.ObservedAt, five.LastObservedAt!.Value));
        Assert.Equal("statusline " + AcmeSession, five.Source);
        Assert.Equal(12.5m, signals.Single(static s => s.Window == WindowKind.Weekly).Utilisation);
    }

    [Fact]
    public async Task Unified_headers_the_proxy_observed_override_the_status_lines_own_rate_limits()
    {
        using var cli = WithSample(out var transcript);
        var before = await cli.RunWithInputAsync(Input(transcript), "statusline");
        Assert.Contains("5h 100% (resets 12:00) · 7d 12.5%", before.Out, StringComparison.Ordinal);

        // What the metering proxy stores for a subscription response's anthropic-ratelimit-unified-5h/7d headers
        // (RateLimitReader), a minute before the render.
        var seen = BlocksTests.ElevenAm.AddMinutes(-1);
        await using (var store = SqliteUsageStore.Open(Path.Combine(cli.DataDir, "index.db")))
        {
            ObservedSignal Header(WindowKind window, decimal percent, long resets) => new()
            {
                Key = $"header:{window}:acct_0123456789abcdef:{resets}:{percent}",
                Kind = SignalKind.Header,
                Window = window,
                Utilisation = percent,
                ResetsAt = DateTimeOffset.FromUnixTimeSeconds(resets),
                ObservedAt = seen,
                LastObservedAt = seen,
                Source = "proxy acct_0123456789abcdef",
            };
            await store.RecordProxyAsync([], [Header(WindowKind.FiveHour, 42m, 1795176000), Header(WindowKind.Weekly, 67m, 1795392000)], [], CancellationToken.None);
        }

        var after = await cli.RunWithInputAsync(Input(transcript), "statusline");
        Assert.Equal(0, after.ExitCode);
        Assert.Contains("5h 42% (resets 12:00) · 7d 67%", after.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("100%", after.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "tally: no status input (tally statusline reads Claude Code's status-line JSON on stdin)")]
    [InlineData("   \n", "tally: no status input (tally statusline reads Claude Code's status-line JSON on stdin)")]
    [InlineData("{\"session_id\": \"abc\", \"model\": ", "tally: status input is not valid JSON")]
    [InlineData("[1, 2, 3]", "tally: status input is not a JSON object")]
    [InlineData("\"Status\"", "tally: status input is not a JSON object")]
    public async Task Bad_or_empty_input_prints_a_short_line_and_exits_0(string input, string line)
    {
        using var cli = WithSample(out _);
        var result = await cli.RunWithInputAsync(input, "statusline");
        Assert.Equal((0, line + Environment.NewLine, string.Empty), (result.ExitCode, result.Out, result.Error));
    }

    [Fact]
    public async Task Fields_of_the_wrong_type_and_a_missing_transcript_still_give_a_line()
    {
        using var cli = WithSample(out _);
        var input = """{"session_id":42,"transcript_path":"/nowhere/x.jsonl","model":"opus","cost":{"total_cost_usd":"0.5"},"context_window":{"context_window_size":-1,"used_percentage":"12"},"rate_limits":{"five_hour":{"used_percentage":"x"},"seven_day":7}}""";
        var result = await cli.RunWithInputAsync(input, "statusline");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("🤖 Claude | 💰 ~$0.50 session / $0.00 today / no active block | 🧠 (12% of 200k)" + Environment.NewLine, result.Out);
    }

    [Fact]
    public async Task With_no_sync_the_session_cost_is_Claude_Codes_estimate_until_the_index_has_the_session()
    {
        using var cli = WithSample(out var transcript);
        var result = await cli.RunWithInputAsync(Input(transcript, extra: string.Empty), "statusline", "--no-sync");
        Assert.Equal("🤖 Sonnet 4.5 | 💰 ~$0.31 session / $0.00 today / no active block | 🧠 150,005 (75% of 200k)" + Environment.NewLine, result.Out);
    }

    [Fact]
    public async Task A_1m_model_without_a_window_size_counts_against_a_million_tokens()
    {
        using var cli = WithSample(out _);
        var input = """{"model":{"id":"claude-sonnet-4-5-20250929[1m]","display_name":"Sonnet 4.5 (1M context)"},"context_window":{"current_usage":{"input_tokens":10,"cache_read_input_tokens":249990}}}""";
        var result = await cli.RunWithInputAsync(input, "statusline", "--no-sync");
        Assert.Contains("🧠 250,000 (25% of 1M)", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overlapping_renders_on_one_index_all_print_the_same_exact_line_and_count_nothing_twice()
    {
        using var cli = WithSample(out var transcript);
        var input = Input(transcript);

        // Eight renders at once against a fresh index: every one syncs the same transcript and records the same readings.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => cli.RunWithInputAsync(input, "statusline"))));
        Assert.All(results, static r => Assert.Equal(0, r.ExitCode));
        Assert.Single(results.Select(static r => r.Out).Distinct(StringComparer.Ordinal));
        Assert.StartsWith("🤖 Sonnet 4.5 | 💰 $0.30 session / $0.30 today / $0.30 block", results[0].Out, StringComparison.Ordinal);

        var daily = (await cli.RunAsync("daily", "--json", "--no-sync", "-z", "UTC")).Json();
        Assert.Equal(BlocksTests.AcmeCost, JsonChecks.TotalCost(daily));
        Assert.Equal(5, daily.GetProperty("totals").GetProperty("requests").GetInt64());
        await using var store = SqliteUsageStore.Open(Path.Combine(cli.DataDir, "index.db"));
        var signals = await store.SignalsAsync(DateTimeOffset.MinValue, CancellationToken.None);
        Assert.Equal(3, signals.Count); // the two readings and the transcript's limit line, once each
    }
}
