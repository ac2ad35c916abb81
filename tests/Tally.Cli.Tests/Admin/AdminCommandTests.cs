using System.Text.Json;
using Tally.Admin.Tests;
using Tally.Cli.Tests.Harness;

namespace Tally.Cli.Tests.Admin;

public sealed class AdminCommandTests
{
    [Fact]
    public async Task Sync_ThenViews_ShowTheTrueTotal_SegmentedAndNeverShowTheKey()
    {
        await using var api = await FakeAdminApi.StartAsync();
        Organizations.Seed(api);
        using var cli = World(api);

        var sync = await cli.RunAsync("admin", "sync", "--since", "2026-11-18", "--until", "2026-11-19");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Contains("$162.00 billed", sync.Console, StringComparison.Ordinal);
        Assert.Contains("Self-check: the grouped rows add up", sync.Console, StringComparison.Ordinal);

        var costs = (await cli.RunAsync("admin", "costs", "--since", "2026-11-18", "--until", "2026-11-19", "--json")).Json();
        Assert.Equal(162.00m, costs.GetProperty("totals").GetProperty("costUsd").GetDecimal());
        Assert.Equal(["2026-11-18", "2026-11-18", "2026-11-19", "2026-11-19"], costs.GetProperty("costs").EnumerateArray().Select(static r => r.GetProperty("key").GetString()));

        var segments = (await cli.RunAsync("admin", "costs", "--by", "segment", "--since", "2026-11-18", "--until", "2026-11-19", "--json")).Json();
        Assert.Equal(
            [("api", 122.00m), ("claude-code", 40.00m)],
            segments.GetProperty("costs").EnumerateArray().Select(static r => (r.GetProperty("segment").GetString(), r.GetProperty("costUsd").GetDecimal())));

        var models = (await cli.RunAsync("admin", "costs", "--by", "model", "--since", "2026-11-18", "--until", "2026-11-18", "--json")).Json();
        Assert.Equal(60.00m, models.GetProperty("costs").EnumerateArray().Single(static r => r.GetProperty("key").GetString() == "claude-sonnet-4-5-20250929").GetProperty("costUsd").GetDecimal());
        Assert.Contains(models.GetProperty("costs").EnumerateArray(), static r => r.GetProperty("key").GetString() == "(web_search)");

        var usage = (await cli.RunAsync("admin", "usage", "--by", "segment", "--since", "2026-11-18", "--until", "2026-11-19", "--json")).Json();
        var bySegment = usage.GetProperty("usage").EnumerateArray().ToDictionary(static r => r.GetProperty("segment").GetString()!, static r => r.GetProperty("totalTokens").GetInt64());
        Assert.Equal(2 * 12_000L, bySegment["console"]);
        Assert.Equal(2 * 2_180_000L, bySegment["claude-code"]);
        Assert.Equal(2 * (1_615_000L + 550_000L), bySegment["api"]);

        var code = (await cli.RunAsync("admin", "claude-code", "--since", "2026-11-18", "--until", "2026-11-19", "--json")).Json();
        var ana = code.GetProperty("claudeCode").EnumerateArray().Single(static r => r.GetProperty("key").GetString() == "ana@example.com");
        Assert.Equal(0.8125m, ana.GetProperty("toolAcceptRate").GetDecimal());
        Assert.Equal(1.86m, ana.GetProperty("estimatedCostUsd").GetDecimal());
        Assert.Equal(JsonValueKind.Null, code.GetProperty("claudeCode").EnumerateArray().Single(static r => r.GetProperty("key").GetString() == "ci-bot").GetProperty("toolAcceptRate").ValueKind);

        var csv = await cli.RunAsync("admin", "usage", "--by", "api-key", "--since", "2026-11-18", "--until", "2026-11-19", "--csv");
        Assert.StartsWith("key,segment,inputTokens,cacheWrite5mTokens,cacheWrite1hTokens,cacheReadTokens,outputTokens,totalTokens,webSearchRequests\r\n", csv.Out, StringComparison.Ordinal);
        Assert.Contains("Console (no key),console,20000,0,0,0,4000,24000,0\r\n", csv.Out, StringComparison.Ordinal);

        var table = await cli.RunAsync("admin", "costs", "--by", "workspace", "--since", "2026-11-18", "--until", "2026-11-19");
        Assert.Contains("Claude Code (wrkspc_cc)", table.Console, StringComparison.Ordinal);
        Assert.Contains("Default", table.Console, StringComparison.Ordinal);
        Assert.Contains("$162.00", table.Console, StringComparison.Ordinal);

        foreach (var run in new[] { sync, csv, table })
        {
            Assert.DoesNotContain(FakeAdminApi.Key, run.ToString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(FakeAdminApi.Key, await File.ReadAllTextAsync(Path.Combine(cli.DataDir, "index.db")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InjectedDoubleCount_IsLoud_ExitsOne_AndStoresNothing()
    {
        await using var api = await FakeAdminApi.StartAsync();
        Organizations.Seed(api);
        api.InjectOrgRowIntoGrouped = true;
        using var cli = World(api);

        var sync = await cli.RunAsync("admin", "sync", "--since", "2026-11-18", "--until", "2026-11-19");

        Assert.Equal(1, sync.ExitCode);
        Assert.Contains("self-check failed", sync.Error, StringComparison.Ordinal);
        Assert.Contains("cost 2026-11-18: grouped rows add up to $162.00, the organization total is $81.00", sync.Error, StringComparison.Ordinal);
        var costs = (await cli.RunAsync("admin", "costs", "--since", "2026-11-18", "--until", "2026-11-19", "--json")).Json();
        Assert.Equal(0m, costs.GetProperty("totals").GetProperty("costUsd").GetDecimal());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task KeyFile_MustBePrivate_AndAMissingKeySaysWhereToPutIt()
    {
        await using var api = await FakeAdminApi.StartAsync();
        Organizations.Seed(api);
        using var cli = World(api);
        cli.Variables["ANTHROPIC_ADMIN_KEY"] = null;

        var none = await cli.RunAsync("admin", "sync");
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("no admin key: set ANTHROPIC_ADMIN_KEY", none.Error, StringComparison.Ordinal);

        var file = cli.WriteFile("admin.key", FakeAdminApi.Key + "\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var open = await cli.RunAsync("admin", "sync", "--key-file", file);
        Assert.Equal(2, open.ExitCode);
        Assert.Contains("can be read by other users; make it private: chmod 600", open.Error, StringComparison.Ordinal);
        Assert.Empty(api.Requests);

        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        cli.WriteConfig("{\"admin\": {\"keyFile\": \"" + file + "\"}}");
        var ok = await cli.RunAsync("admin", "sync", "--since", "2026-11-18", "--until", "2026-11-19");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.DoesNotContain(FakeAdminApi.Key, ok.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokedKey_IsACleanMessage_NotAStackTrace()
    {
        await using var api = await FakeAdminApi.StartAsync();
        using var cli = World(api);
        cli.Variables["ANTHROPIC_ADMIN_KEY"] = "sk-ant-admin01-revoked";

        var run = await cli.RunAsync("admin", "sync", "--since", "2026-11-18", "--until", "2026-11-19");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("The Admin API refused the key (authentication_error: invalid x-api-key)", run.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was stored", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-ant-admin01-revoked", run.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigWithAKeyInIt_IsRefused()
    {
        await using var api = await FakeAdminApi.StartAsync();
        using var cli = World(api);
        cli.WriteConfig("""{"admin": {"key": "sk-ant-admin01-in-config"}}""");

        var run = await cli.RunAsync("admin", "costs", "--json");

        Assert.Contains("a key is a secret and is not read from config.json", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-ant-admin01-in-config", run.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A CLI world whose clock is 2026-11-20 12:00 UTC, pointed at the fake with its key in the environment.</summary>
    internal static TallyCli World(FakeAdminApi api)
    {
        var cli = new TallyCli();
        cli.Variables["ANTHROPIC_ADMIN_KEY"] = FakeAdminApi.Key;
        cli.Variables["TALLY_ADMIN_BASE_URL"] = api.BaseUrl.ToString();
        return cli;
    }
}
