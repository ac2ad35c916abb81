using Tally.Admin.Tests;

namespace Tally.Cli.Tests.Admin;

public sealed class ReconcileCommandTests
{
    private static readonly DateTimeOffset Nov18 = new(2026, 11, 18, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task MatchingDay_IsWithinTolerance_AndExitsZero()
    {
        await using var api = await FakeAdminApi.StartAsync();
        Local18(api);
        using var cli = AdminCommandTests.World(api);
        Assert.Equal(0, (await cli.RunAsync("admin", "sync", "--since", "2026-11-18", "--until", "2026-11-20")).ExitCode);

        var run = await cli.RunAsync("reconcile", "--since", "2026-11-18", "--until", "2026-11-18", "--json");

        var rows = run.Json().GetProperty("reconciliation").EnumerateArray().ToList();
        var opus = rows.Single(static r => r.GetProperty("model").GetString() == "claude-opus-4-1-20250805");
        Assert.Equal((22_866L, 22_866L, 0.16874m, 0.16874m), (opus.GetProperty("localTokens").GetInt64(), opus.GetProperty("adminTokens").GetInt64(), opus.GetProperty("localCostUsd").GetDecimal(), opus.GetProperty("billedUsd").GetDecimal()));
        Assert.All(rows, static r => Assert.True(r.GetProperty("withinTolerance").GetBoolean()));
    }

    [Fact]
    public async Task Gaps_NameTheirLikelyCause_AndExitFour()
    {
        await using var api = await FakeAdminApi.StartAsync();
        Local18(api);
        api.UsageRows.RemoveAll(static r => r.Model == "claude-unknown-99");
        api.UsageRows.Add(new(Nov18.AddDays(1), "claude-sonnet-4-5-20250929", null, null, Input: 5_000, Output: 1_000));
        api.CostRows[0] = api.CostRows[0] with { Cents = "30" };
        using var cli = AdminCommandTests.World(api);
        Assert.Equal(0, (await cli.RunAsync("admin", "sync", "--since", "2026-11-18", "--until", "2026-11-20")).ExitCode);

        var run = await cli.RunAsync("reconcile", "--since", "2026-11-18", "--until", "2026-11-20", "--json");

        Assert.Equal(4, run.ExitCode);
        using var document = System.Text.Json.JsonDocument.Parse(run.Out);
        var causes = document.RootElement.GetProperty("reconciliation").EnumerateArray()
            .ToDictionary(static r => r.GetProperty("day").GetString() + " " + r.GetProperty("model").GetString(), static r => r.GetProperty("cause").GetString()!);
        Assert.StartsWith("a price rule", causes["2026-11-18 claude-opus-4-1-20250805"], StringComparison.Ordinal);
        Assert.StartsWith("not billed through this organization's API", causes["2026-11-18 claude-unknown-99"], StringComparison.Ordinal);
        Assert.StartsWith("Console (Workbench) use (6,000 tokens)", causes["2026-11-19 claude-sonnet-4-5-20250929"], StringComparison.Ordinal);
        Assert.StartsWith("data lag: the Admin API is synced up to 2026-11-20 12:00 UTC", causes["2026-11-20 claude-sonnet-4-20250514"], StringComparison.Ordinal);

        var tolerant = await cli.RunAsync("reconcile", "--since", "2026-11-18", "--until", "2026-11-18", "--tolerance", "100");
        Assert.True(tolerant.ExitCode == 0, tolerant.ToString());
        Assert.Contains("within tolerance", tolerant.Console, StringComparison.Ordinal);
    }

    /// <summary>The Admin API's view of the sample's 2026-11-18: the same tokens and dollars as this machine's records.</summary>
    private static void Local18(FakeAdminApi api)
    {
        api.UsageRows.Add(new(Nov18, "claude-opus-4-1-20250805", "wrkspc_prod", "apikey_prod", Input: 16, Output: 850, Write5m: 3_000, CacheRead: 19_000));
        api.UsageRows.Add(new(Nov18, "claude-unknown-99", "wrkspc_prod", "apikey_prod", Input: 7, Output: 70, CacheRead: 1_000));
        api.CostRows.Add(new(new DateOnly(2026, 11, 18), "wrkspc_prod", "Claude Opus 4.1 Usage", "16.874", "claude-opus-4-1-20250805", "uncached_input_tokens"));
    }
}
