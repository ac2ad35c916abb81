using Tally.Core.Storage;

namespace Tally.Storage.Tests;

/// <summary>The shared sample data directory, indexed into a real SQLite file, against figures worked out by hand
/// from reference/claude-code-data.md and pricing.md.</summary>
public class FixtureIndexTests
{
    [Fact]
    public async Task The_sample_gives_one_record_per_call()
    {
        await using var index = new IndexHarness(TestData.ClaudeSample);
        var report = await index.SyncAsync();
        Assert.Equal(4, report.FilesSeen);
        Assert.Equal(0, report.Problems);

        var totals = await IndexHarness.TotalsAsync(index.Store);
        // acme-api: streamed (2 lines -> 1), second, long-context, legacy id-less (2 identical lines -> 1); synthetic skipped.
        // subagent: 1. blog: first, second (replayed verbatim in c3d4 -> still 1), unknown model: 1.
        Assert.Equal(8, totals.Calls);
        Assert.Equal(3 + 6 + 5 + 100 + 10 + 12 + 4 + 7, totals.Input);
        Assert.Equal(412 + 950 + 1200 + 200 + 300 + 700 + 150 + 70, totals.Output);
        Assert.Equal(12000 + 5000 + 3000, totals.CacheWrite5m);
        Assert.Equal(2000, totals.CacheWrite1h);
        Assert.Equal(15000 + 27000 + 210000 + 8000 + 11000 + 1000, totals.CacheRead);
    }

    [Fact]
    public async Task Costs_follow_anthropics_rules_and_unknown_models_cost_nothing_but_are_flagged()
    {
        await using var index = new IndexHarness(TestData.ClaudeSample);
        await index.SyncAsync();
        var rows = await index.Store.AggregateAsync(new UsageQuery { GroupBy = GroupBy.Model, CostMode = CostMode.Calculate }, CancellationToken.None);
        decimal Cost(string model) => rows.Single(r => r.Model == model).CostUsd;

        // Sonnet 4.5: (3*3 + 12000*3.75 + 15000*0.3 + 412*15 + 6*3 + 2000*6 + 27000*0.3 + 950*15) / 1e6
        Assert.Equal(((3 * 3m) + (12000 * 3.75m) + (15000 * 0.3m) + (412 * 15m) + (6 * 3m) + (2000 * 6m) + (27000 * 0.3m) + (950 * 15m)) / 1_000_000m, Cost("claude-sonnet-4-5-20250929"));
        Assert.Equal(0.090057m, Cost("claude-sonnet-4-5-20250929"));
        // Sonnet 4, long context for the whole request (prompt 210,005 > 200,000): 5*6 + 210000*0.6 + 1200*22.5;
        // plus the legacy id-less line, priced normally: 100*3 + 200*15.
        Assert.Equal((5 * 6m + 210000 * 0.6m + 1200 * 22.5m + 100 * 3m + 200 * 15m) / 1_000_000m, Cost("claude-sonnet-4-20250514"));
        // Opus 4.1 with 2 web searches at $0.01 each.
        Assert.Equal(((12 * 15m) + (3000 * 18.75m) + (8000 * 1.5m) + (700 * 75m) + (4 * 15m) + (11000 * 1.5m) + (150 * 75m)) / 1_000_000m + 0.02m, Cost("claude-opus-4-1-20250805"));
        var unknown = rows.Single(r => r.Model == "claude-unknown-99");
        Assert.Equal(0m, unknown.CostUsd);
        Assert.Equal(1, unknown.UnpricedCalls);
        Assert.Equal(1, rows.Single(r => r.Model == "claude-sonnet-4-20250514").LongContextCalls);
    }

    [Fact]
    public async Task Auto_mode_uses_the_lines_own_cost_when_it_has_one()
    {
        await using var index = new IndexHarness(TestData.ClaudeSample);
        await index.SyncAsync();
        var auto = await IndexHarness.TotalsAsync(index.Store, CostMode.Auto);
        var calculated = await IndexHarness.TotalsAsync(index.Store, CostMode.Calculate);
        var display = await IndexHarness.TotalsAsync(index.Store, CostMode.Display);
        Assert.Equal(0.05m, display.Cost);
        Assert.Equal(calculated.Cost - ((100 * 3m) + (200 * 15m)) / 1_000_000m + 0.05m, auto.Cost);
    }

    [Fact]
    public async Task Subagent_usage_belongs_to_its_parent_session_and_stays_visible()
    {
        await using var index = new IndexHarness(TestData.ClaudeSample);
        await index.SyncAsync();
        var rows = await index.Store.AggregateAsync(new UsageQuery { GroupBy = GroupBy.Session | GroupBy.Agent }, CancellationToken.None);
        var sub = rows.Single(r => r.AgentId == "7d3f2a");
        Assert.Equal("5f0c2c1e-7a7b-4f0e-9a57-1c2d3e4f5a6b", sub.SessionId);
        Assert.Equal(300, sub.Tokens.Output);
    }

    [Fact]
    public async Task Projects_come_from_cwd()
    {
        await using var index = new IndexHarness(TestData.ClaudeSample);
        await index.SyncAsync();
        var rows = await index.Store.AggregateAsync(new UsageQuery { GroupBy = GroupBy.Project }, CancellationToken.None);
        Assert.Equal(["/home/alice/work/acme-api", "/home/alice/work/blog"], rows.Select(r => r.Project).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_second_sync_with_nothing_new_reads_nothing_and_changes_nothing()
    {
        await using var index = new IndexHarness(TestData.ClaudeSample);
        await index.SyncAsync();
        var before = await IndexHarness.TotalsAsync(index.Store);
        var again = await index.SyncAsync();
        Assert.Equal(0, again.FilesRead);
        Assert.Equal(0, again.BytesRead);
        Assert.Equal(before.Fingerprint, (await IndexHarness.TotalsAsync(index.Store)).Fingerprint);
    }
}
