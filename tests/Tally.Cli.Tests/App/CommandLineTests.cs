using Tally.Cli.Tests.Harness;

namespace Tally.Cli.Tests.App;

public class CommandLineTests
{
    [Fact]
    public async Task No_command_runs_daily()
    {
        using var cli = new TallyCli();
        var bare = await cli.RunAsync();
        Assert.Equal(0, bare.ExitCode);
        Assert.Contains("Claude Code usage · daily · UTC", bare.Console, StringComparison.Ordinal);

        var json = (await cli.RunAsync("--json", "-z", "UTC")).Json();
        Assert.Equal(0.469587m, json.GetProperty("totals").GetProperty("totalCost").GetDecimal());
        Assert.Equal("daily", json.GetProperty("tally").GetProperty("report").GetString());
    }

    [Theory]
    [InlineData("--no-sync")]
    [InlineData("--offline")]
    [InlineData("--claude-dir", "SAMPLE")]
    [InlineData("--data-dir", "DATA")]
    public async Task A_global_flag_may_come_before_the_command(params string[] global)
    {
        using var cli = new TallyCli();
        Assert.Equal(0, (await cli.RunAsync("sync")).ExitCode);
        var flags = global.Select(f => f.Replace("SAMPLE", TestData.ClaudeSample, StringComparison.Ordinal).Replace("DATA", cli.DataDir, StringComparison.Ordinal)).ToArray();

        var before = (await cli.RunAsync([.. flags, "weekly", "--json", "-z", "UTC"])).Json();
        var after = (await cli.RunAsync(["weekly", "--json", "-z", "UTC", .. flags])).Json();
        Assert.Equal("weekly", before.GetProperty("tally").GetProperty("report").GetString());
        Assert.Equal(after.GetRawText(), before.GetRawText());
        Assert.Equal(0.469587m, before.GetProperty("totals").GetProperty("totalCost").GetDecimal());
    }

    [Theory]
    [InlineData("daily", "--frobnicate")]
    [InlineData("daily", "--since")]
    [InlineData("frobnicate")]
    [InlineData("prices", "--date")]
    public async Task A_command_line_the_parser_rejects_exits_with_code_2_and_leaves_stdout_clean(params string[] args)
    {
        using var cli = new TallyCli();
        var result = await cli.RunAsync(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(args[^1], result.Error, StringComparison.Ordinal);
        Assert.Contains("--help", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Help_and_version_exit_with_code_0()
    {
        using var cli = new TallyCli();
        var help = await cli.RunAsync("--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("weekly", help.Out, StringComparison.Ordinal);

        var daily = await cli.RunAsync("daily", "--help");
        Assert.Equal(0, daily.ExitCode);
        Assert.Contains("--start-of-week", (await cli.RunAsync("weekly", "-h")).Out, StringComparison.Ordinal);
        Assert.Contains("--since", daily.Out, StringComparison.Ordinal);

        Assert.Equal(0, (await cli.RunAsync("--version")).ExitCode);
    }

    [Fact]
    public async Task Sync_says_what_it_read_and_a_second_sync_reads_nothing()
    {
        using var cli = new TallyCli();
        var first = await cli.RunAsync("sync");
        Assert.Equal(0, first.ExitCode);
        Assert.Contains($"Index: {Path.Combine(cli.DataDir, "index.db")}", first.Console, StringComparison.Ordinal);
        Assert.Contains("Transcripts: 4 found, 4 read", first.Console, StringComparison.Ordinal);

        var second = await cli.RunAsync("sync");
        Assert.Contains("Transcripts: 4 found, 0 read", second.Console, StringComparison.Ordinal);
        Assert.Contains("and 0 usage lines", second.Console, StringComparison.Ordinal);
    }
}
