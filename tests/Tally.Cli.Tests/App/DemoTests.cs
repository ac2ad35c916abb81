using Tally.Cli.Tests.Harness;

namespace Tally.Cli.Tests.App;

public class DemoTests
{
    [Fact]
    public async Task Demo_generates_its_own_data_and_index_under_the_data_dir_and_never_mixes_with_real_data()
    {
        using var cli = new TallyCli();
        var real = (await cli.RunAsync("daily", "--json", "-z", "UTC")).Json();
        var json = (await cli.RunAsync("projects", "--demo", "--json", "-z", "UTC")).Json();

        Assert.True(Directory.Exists(Path.Combine(cli.DataDir, "demo", "claude", "projects")));
        Assert.True(File.Exists(Path.Combine(cli.DataDir, "demo", "index.db")));

        // Five projects, all priced, and the one model no catalog knows flagged, never guessed.
        var projects = json.GetProperty("projects").EnumerateArray().ToList();
        Assert.Equal(5, projects.Count);
        Assert.All(projects, static p => Assert.True(p.GetProperty("totalCost").GetDecimal() > 0m));
        Assert.DoesNotContain(projects, static p => p.GetProperty("project").GetString()!.StartsWith("/home/alice", StringComparison.Ordinal));
        Assert.Equal(["claude-unknown-99"], JsonChecks.Strings(json.GetProperty("tally").GetProperty("unpricedModels")));
        var totals = json.GetProperty("totals");
        Assert.True(totals.GetProperty("missingPricing").GetBoolean());
        Assert.True(totals.GetProperty("longContextRequests").GetInt64() > 0);
        Assert.True(totals.GetProperty("webSearchRequests").GetInt64() > 0);

        // Six weeks ending on the clock's day.
        Assert.StartsWith("2026-11-20T", totals.GetProperty("lastActivity").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("2026-10-", totals.GetProperty("firstActivity").GetString(), StringComparison.Ordinal);

        var table = await cli.RunAsync("daily", "--demo", "-z", "UTC");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("No price for claude-unknown-99", table.Console, StringComparison.Ordinal);
        Assert.Contains("unknown-99 ⚠", table.Console, StringComparison.Ordinal);

        // The real report is untouched by the demo.
        var realAgain = (await cli.RunAsync("daily", "--json", "-z", "UTC")).Json();
        Assert.Equal(real.GetRawText(), realAgain.GetRawText());
    }

    [Fact]
    public async Task Demo_is_the_same_every_run_and_on_every_machine()
    {
        using var first = new TallyCli(noClaudeData: true);
        using var second = new TallyCli(noClaudeData: true);
        var once = await first.RunAsync("daily", "--demo", "--json", "-z", "UTC");
        var twice = await first.RunAsync("daily", "--demo", "--json", "-z", "UTC");
        var elsewhere = await second.RunAsync("--demo", "--json", "-z", "UTC");
        Assert.Equal(0, once.ExitCode);
        Assert.Equal(once.Out, twice.Out);
        Assert.Equal(once.Out, elsewhere.Out);
        Assert.True(once.Json().GetProperty("daily").GetArrayLength() > 30);
        Assert.False(Directory.Exists(Path.Combine(first.Home, ".claude")));
    }
}
