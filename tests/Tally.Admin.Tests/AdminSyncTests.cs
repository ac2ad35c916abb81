using Tally.Core.Billing;
using static Tally.Admin.Tests.Organizations;

namespace Tally.Admin.Tests;

public sealed class AdminSyncTests
{
    [Fact]
    public async Task SeedPipelineFailure_OrgAndWorkspaceRowsInCents_TallyStoresTheTrueTotal()
    {
        await using var world = await SyncWorld.StartAsync();
        Seed(world.Api);

        var result = await world.SyncAsync(Day1, Day2);

        Assert.True(result.Stored, string.Join('\n', result.CheckFailures));
        Assert.Empty(result.CheckFailures);

        // The naive pipeline: ungrouped (org-level) rows + grouped rows, both summed, cents read as dollars.
        var naive = world.Api.CostRows.Sum(static r => decimal.Parse(r.Cents, System.Globalization.CultureInfo.InvariantCulture)) * 2;
        Assert.Equal(32_400m, naive);
        Assert.Equal(162.00m, await world.StoredCostAsync());

        // A second sync of the same days replaces instead of adding.
        var again = await world.SyncAsync(Day1, Day2);
        Assert.True(again.Stored);
        Assert.Equal(162.00m, await world.StoredCostAsync());
        Assert.Equal(8, (await world.StoredUsageAsync()).Count);
    }

    [Fact]
    public async Task InjectedDoubleCount_SelfCheckFailsLoudly_AndNothingIsStored()
    {
        await using var world = await SyncWorld.StartAsync();
        Seed(world.Api);
        Assert.True((await world.SyncAsync(Day1, Day2)).Stored);

        world.Api.InjectOrgRowIntoGrouped = true;
        world.Api.CostRows.Add(new(Day2, "wrkspc_prod", "Code Execution Usage", "1.5", CostType: "code_execution"));
        var result = await world.SyncAsync(Day1, Day2);

        Assert.False(result.Stored);
        Assert.Contains(result.CheckFailures, f => f.StartsWith("cost 2026-11-18: grouped rows add up to $162.00, the organization total is $81.00", StringComparison.Ordinal));
        Assert.Contains(result.CheckFailures, f => f.StartsWith("usage 2026-11-18 09:00 UTC:", StringComparison.Ordinal));
        Assert.Equal(162.00m, await world.StoredCostAsync()); // the earlier sync's figures, not the doubled ones nor the new row
    }

    [Fact]
    public async Task SeveralPages_AreAllRead_UntilHasMoreIsFalse()
    {
        await using var world = await SyncWorld.StartAsync();
        Seed(world.Api);
        world.Api.PageSize = 5;
        world.Api.ClaudeCode[Day1].Add(world.Api.ClaudeCode[Day1][0].Replace("ana@example.com", "bo@example.com", StringComparison.Ordinal));
        world.Api.PageSize = 1;

        var result = await world.SyncAsync(Day1, Day2);

        Assert.True(result.Stored);
        var usagePages = world.Api.RequestsTo("/v1/organizations/usage_report/messages").Count(r => r.Contains("group_by", StringComparison.Ordinal));
        Assert.Equal(48, usagePages); // 48 hourly buckets, one per page
        Assert.Equal(8, (await world.StoredUsageAsync()).Count);
        Assert.Equal(3, (await world.Store.ClaudeCodeDaysAsync(Day1, Day2.AddDays(1), CancellationToken.None)).Count);
        Assert.Equal(162.00m, await world.StoredCostAsync());
    }

    [Fact]
    public async Task NullDimensions_EmptyBuckets_CentsAndUnknownValues_AreReadAsDocumented()
    {
        await using var world = await SyncWorld.StartAsync();
        Seed(world.Api);
        world.Api.UsageRows.Add(new(new DateTimeOffset(2026, 11, 19, 23, 0, 0, TimeSpan.Zero), "claude-future-9", "wrkspc_prod", "apikey_prod", 7, 3, ServiceTier: "hyper_flex", ContextWindow: "1M-10M"));
        world.Api.CostRows.Add(new(Day1, "wrkspc_prod", "Claude Future Usage", "123.78912", "claude-future-9", "some_new_token_type", "session_usage"));

        var result = await world.SyncAsync(Day1, Day2);

        Assert.True(result.Stored, string.Join('\n', result.CheckFailures));
        var usage = await world.StoredUsageAsync();
        Assert.Equal(9, usage.Count); // 48 buckets read, most of them empty: only rows with usage are stored
        var console = Assert.Single(usage, r => r.ApiKeyId is null && r.Bucket.Day == 18);
        Assert.Null(console.WorkspaceId);
        var segments = new Segments(await world.Store.WorkspacesAsync(CancellationToken.None));
        Assert.Equal(BilledSegment.Console, segments.Of(console));
        Assert.Equal(BilledSegment.ClaudeCode, segments.Of(usage.First(r => r.WorkspaceId == "wrkspc_cc")));
        Assert.Equal(BilledSegment.Api, segments.Of(usage.First(r => r.ApiKeyId == "apikey_default")));
        var future = Assert.Single(usage, r => r.Model == "claude-future-9");
        Assert.Equal(("hyper_flex", "1M-10M"), (future.ServiceTier, future.ContextWindow));

        var costs = await world.Store.BilledCostsAsync(Day1, Day2.AddDays(1), CancellationToken.None);
        Assert.Equal(1.2378912m, Assert.Single(costs, c => c.Model == "claude-future-9").AmountUsd);
        Assert.Equal("session_usage", Assert.Single(costs, c => c.Model == "claude-future-9").CostType);
        Assert.Equal(30.0012345m, Assert.Single(costs, c => c.Day == Day1 && c.TokenType == "uncached_input_tokens" && c.WorkspaceId == "wrkspc_prod").AmountUsd);
        Assert.Equal(0.50m, Assert.Single(costs, c => c.Day == Day1 && c.WorkspaceId is null).AmountUsd); // the default workspace

        var code = await world.Store.ClaudeCodeDaysAsync(Day1, Day2, CancellationToken.None);
        var ana = Assert.Single(code, c => c.Actor == "ana@example.com");
        Assert.Equal((4L, 120L, 30L, 2L, 1L, 13L, 3L, 1000L, 1.86m), (ana.Sessions, ana.LinesAdded, ana.LinesRemoved, ana.Commits, ana.PullRequests, ana.ToolsAccepted, ana.ToolsRejected, ana.Tokens, ana.EstimatedCostUsd));
        Assert.Equal(0.005m, Assert.Single(code, c => c.Actor == "ci-bot").EstimatedCostUsd);
        Assert.Equal(["Claude Code", "Production"], (await world.Store.WorkspacesAsync(CancellationToken.None)).Select(static w => w.Name));
    }

    [Fact]
    public async Task RateLimited_WaitsWhatRetryAfterSays_AndServerErrorsBackOff()
    {
        await using var world = await SyncWorld.StartAsync();
        Seed(world.Api);
        world.Api.Faults.Enqueue(FakeAdminApi.Fault.Error("/v1/organizations/usage_report/messages", 429, "rate_limit_error", retryAfter: "7"));
        world.Api.Faults.Enqueue(FakeAdminApi.Fault.Error("/v1/organizations/usage_report/messages", 500, "api_error"));
        world.Api.Faults.Enqueue(FakeAdminApi.Fault.Error("/v1/organizations/usage_report/messages", 529, "overloaded_error"));

        var result = await world.SyncAsync(Day1, Day2);

        Assert.True(result.Stored);
        // retry-after 7 s, then backoff steps of 2 s and 4 s (doubling per attempt) with jitter fixed at 0.5 (three quarters of each step).
        Assert.Equal([TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3)], world.Waits);
        Assert.Equal(162.00m, await world.StoredCostAsync());
    }

    [Fact]
    public async Task PersistentServerErrors_GiveUp_AndEarlierDataStays()
    {
        await using var world = await SyncWorld.StartAsync();
        Seed(world.Api);
        Assert.True((await world.SyncAsync(Day1, Day2)).Stored);
        world.Api.CostRows.Clear();
        for (var i = 0; i < 5; i++)
        {
            world.Api.Faults.Enqueue(FakeAdminApi.Fault.Error("/v1/organizations/cost_report", 500, "api_error"));
        }

        var error = await Assert.ThrowsAsync<AdminApiException>(() => world.SyncAsync(Day1, Day2));

        Assert.Contains("HTTP 500 api_error: scripted 500; gave up after 5 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, world.Waits.Count);
        Assert.Equal(162.00m, await world.StoredCostAsync());
    }

    [Fact]
    public async Task RetryAfterLongerThanTallyWaits_EndsTheSyncWithAMessage()
    {
        await using var world = await SyncWorld.StartAsync();
        Seed(world.Api);
        world.Api.Faults.Enqueue(FakeAdminApi.Fault.Error("/v1/organizations/usage_report/messages", 429, "rate_limit_error", retryAfter: "3600"));

        var error = await Assert.ThrowsAsync<AdminApiException>(() => world.SyncAsync(Day1, Day2));

        Assert.Contains("asks to wait 3600 s", error.Message, StringComparison.Ordinal);
        Assert.Empty(world.Waits);
    }

    [Fact]
    public async Task MalformedBody_FailsTheSync_AndEarlierDataStays()
    {
        await using var world = await SyncWorld.StartAsync();
        Seed(world.Api);
        Assert.True((await world.SyncAsync(Day1, Day2)).Stored);
        world.Api.CostRows.Clear();
        world.Api.Faults.Enqueue(new FakeAdminApi.Fault("/v1/organizations/cost_report", 200, """{"data":[{"starting_at":"2026-11-18T00:00:00Z","results":[{"amount":"12"""));

        var error = await Assert.ThrowsAsync<AdminApiException>(() => world.SyncAsync(Day1, Day2));

        Assert.StartsWith("/v1/organizations/cost_report: the answer is not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.Equal(162.00m, await world.StoredCostAsync());
    }

    [Fact]
    public async Task WrongShape_IsReported_NotGuessed()
    {
        await using var world = await SyncWorld.StartAsync();
        Seed(world.Api);
        world.Api.Faults.Enqueue(new FakeAdminApi.Fault("/v1/organizations/cost_report", 200, """{"data":[{"starting_at":"2026-11-18T00:00:00Z","results":[{"amount":"twelve"}]}],"has_more":false}"""));

        var error = await Assert.ThrowsAsync<AdminApiException>(() => world.SyncAsync(Day1, Day2));

        Assert.Contains("\"amount\" \"twelve\" is not a number of cents", error.Message, StringComparison.Ordinal);
        Assert.Empty(await world.StoredUsageAsync());
    }

    [Theory]
    [InlineData(401, "authentication_error", "refused the key")]
    [InlineData(403, "permission_error", "may not read")]
    public async Task RefusedKey_SaysWhatToDo_AndNeverShowsTheKey(int status, string type, string expected)
    {
        await using var world = await SyncWorld.StartAsync();
        world.Api.Faults.Enqueue(FakeAdminApi.Fault.Error("/v1/organizations/usage_report/messages", status, type));

        var error = await Assert.ThrowsAsync<AdminApiException>(() => world.SyncAsync(Day1, Day2));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(type, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeAdminApi.Key, error.Message, StringComparison.Ordinal);
        Assert.Empty(world.Waits); // not retried
    }

    [Fact]
    public async Task StandardApiKey_IsToldItIsNotAnAdminKey()
    {
        await using var world = await SyncWorld.StartAsync();

        var error = await Assert.ThrowsAsync<AdminApiException>(() => world.SyncAsync(Day1, Day2, settings: world.Settings("sk-ant-api03-standard")));

        Assert.Contains("does not look like an admin key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-ant-api03-standard", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeout_IsRetried_ThenReported()
    {
        await using var world = await SyncWorld.StartAsync();
        world.Api.Faults.Enqueue(new FakeAdminApi.Fault("/v1/organizations/usage_report/messages", 200, string.Empty, Hang: true));
        world.Api.Faults.Enqueue(new FakeAdminApi.Fault("/v1/organizations/usage_report/messages", 200, string.Empty, Hang: true));
        var settings = world.Settings() with { Timeout = TimeSpan.FromMilliseconds(300), MaxAttempts = 2 };

        var error = await Assert.ThrowsAsync<AdminApiException>(() => world.SyncAsync(Day1, Day2, settings: settings));

        Assert.Contains("no answer within 0.3 s; gave up after 2 attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewerDimensionsRefused_FallsBackToTheDocumentedOnes()
    {
        await using var world = await SyncWorld.StartAsync();
        Seed(world.Api);
        world.Api.RefuseNewerDimensions = true;

        var result = await world.SyncAsync(Day1, Day2);

        Assert.True(result.Stored);
        Assert.Contains(result.Notes, n => n.Contains("inference_geo", StringComparison.Ordinal));
        Assert.All(await world.StoredUsageAsync(), r => Assert.Null(r.InferenceGeo));
    }

    [Fact]
    public async Task Incremental_ResumesFromTheLastCompleteBucket_LessTheTrailingWindow()
    {
        await using var world = await SyncWorld.StartAsync();
        Seed(world.Api);
        var first = await world.SyncAsync();
        Assert.True(first.Stored);
        Assert.Equal((SyncWorld.Now.AddMinutes(-30) - TimeSpan.FromDays(30), SyncWorld.Now.AddMinutes(-30)), first.Batch.UsageWindow);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero), await world.Store.BilledCompleteUntilAsync(AdminSync.UsageReport, CancellationToken.None));

        world.Clock.Now = SyncWorld.Now.AddHours(5);
        world.Api.Requests.Clear();
        var second = await world.SyncAsync();

        Assert.True(second.Stored);
        Assert.Equal((new DateTimeOffset(2026, 11, 18, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 20, 17, 0, 0, TimeSpan.Zero)), second.Batch.UsageWindow);
        Assert.Equal((new DateOnly(2026, 11, 17), new DateOnly(2026, 11, 21)), second.Batch.CostWindow);
        Assert.Contains(world.Api.Requests, r => r.Contains("starting_at=2026-11-18T12%3A00%3A00Z", StringComparison.Ordinal));
        Assert.Equal(162.00m, await world.StoredCostAsync());
        Assert.Equal(8, (await world.StoredUsageAsync()).Count);
    }
}
