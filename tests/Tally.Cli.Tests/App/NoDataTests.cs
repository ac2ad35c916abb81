using Tally.Cli.Tests.Harness;

namespace Tally.Cli.Tests.App;

public class NoDataTests
{
    [Fact]
    public async Task No_claude_folder_exits_with_code_3_naming_the_folders_searched_and_the_demo()
    {
        using var cli = new TallyCli(noClaudeData: true);
        var result = await cli.RunAsync("daily", "--json");
        Assert.Equal(3, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        var error = cli.Scrub(result.Error);
        Assert.Contains("No Claude Code data found", error, StringComparison.Ordinal);
        Assert.Contains("<tmp>/home/.config/claude/projects (does not exist)", error, StringComparison.Ordinal);
        Assert.Contains("<tmp>/home/.claude/projects (does not exist)", error, StringComparison.Ordinal);
        Assert.Contains("CLAUDE_CONFIG_DIR", error, StringComparison.Ordinal);
        Assert.Contains("--demo", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_folders_searched_follow_XDG_CONFIG_HOME_and_CLAUDE_CONFIG_DIR()
    {
        using var cli = new TallyCli(noClaudeData: true);
        cli.Variables["XDG_CONFIG_HOME"] = Path.Combine(cli.Root, "xdg");
        var xdg = await cli.RunAsync("weekly");
        Assert.Equal(3, xdg.ExitCode);
        Assert.Contains("<tmp>/xdg/claude/projects (does not exist)", cli.Scrub(xdg.Error), StringComparison.Ordinal);

        cli.Variables["CLAUDE_CONFIG_DIR"] = Path.Combine(cli.Root, "a") + "," + Path.Combine(cli.Root, "b");
        var listed = await cli.RunAsync("sync");
        Assert.Equal(3, listed.ExitCode);
        var error = cli.Scrub(listed.Error);
        Assert.Contains("<tmp>/a/projects (does not exist)", error, StringComparison.Ordinal);
        Assert.Contains("<tmp>/b/projects (does not exist)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("xdg", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_projects_folder_is_an_empty_report_not_missing_data()
    {
        using var cli = new TallyCli(noClaudeData: true);
        var claude = Path.Combine(cli.Root, "claude");
        Directory.CreateDirectory(Path.Combine(claude, "projects"));
        cli.Variables["CLAUDE_CONFIG_DIR"] = claude;
        var json = (await cli.RunAsync("daily", "--json")).Json();
        Assert.Empty(json.GetProperty("daily").EnumerateArray());
        Assert.Equal(0m, json.GetProperty("totals").GetProperty("totalCost").GetDecimal());
    }

    [Fact]
    public async Task Records_of_deleted_transcripts_are_kept()
    {
        using var cli = new TallyCli();
        var copy = cli.CopySample();
        var before = (await cli.RunAsync("daily", "--json", "-z", "UTC")).Json();
        Directory.Delete(copy, recursive: true);

        var sync = await cli.RunAsync("sync");
        Assert.Equal(0, sync.ExitCode);
        Assert.Contains("4 gone since the last sync (their records are kept)", sync.Console, StringComparison.Ordinal);
        var after = await cli.RunAsync("daily", "--json", "-z", "UTC");
        Assert.Equal(0, after.ExitCode);
        Assert.Equal(before.GetRawText(), after.Json().GetRawText());
    }
}
