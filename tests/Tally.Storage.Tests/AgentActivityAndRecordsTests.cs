using Tally.Core.Storage;
using Tally.Core.Usage;

namespace Tally.Storage.Tests;

/// <summary>The per-agent activity query and the lazy record reader, on the sample data in a real index.</summary>
public class AgentActivityAndRecordsTests
{
    private const string Acme = "5f0c2c1e-7a7b-4f0e-9a57-1c2d3e4f5a6b";

    [Fact]
    public async Task Agent_activity_splits_a_session_into_its_agents_and_sums_like_the_aggregate()
    {
        await using var index = new IndexHarness(TestData.ClaudeSample);
        await index.SyncAsync();
        var rows = await index.Store.AgentActivityAsync(new UsageQuery(), CancellationToken.None);
        var totals = await IndexHarness.TotalsAsync(index.Store, CostMode.Auto);

        Assert.Equal(totals.Calls, rows.Sum(static r => r.Calls));
        Assert.Equal(totals.Cost, rows.Sum(static r => r.CostUsd));
        var acme = rows.Where(static r => r.SessionId == Acme).ToList();
        Assert.Equal([null, "7d3f2a"], acme.Select(static r => r.AgentId).Distinct().Order());
        Assert.All(acme, static r => Assert.Equal(("/home/alice/work/acme-api", "main"), (r.Cwd, r.GitBranch)));
        Assert.Equal(4, acme.Where(static r => r.AgentId is null).Sum(static r => r.Calls));
        Assert.All(acme, static r => Assert.Equal(DateTimeOffset.Parse("2026-11-20T09:50:03Z", System.Globalization.CultureInfo.InvariantCulture), r.SessionFirstSeen));
    }

    [Fact]
    public async Task A_range_that_starts_inside_a_session_keeps_the_sessions_first_call()
    {
        await using var index = new IndexHarness(TestData.ClaudeSample);
        await index.SyncAsync();
        var from = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        var rows = await index.Store.AgentActivityAsync(new UsageQuery { From = from }, CancellationToken.None);

        var row = Assert.Single(rows);
        Assert.Equal((Acme, (string?)null, "claude-sonnet-4-20250514", 2L), (row.SessionId, row.AgentId, row.Model, row.Calls));
        Assert.True(row.FirstSeen >= from);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 9, 50, 3, TimeSpan.Zero), row.SessionFirstSeen);
    }

    [Fact]
    public async Task Records_are_read_oldest_first_with_every_field_and_the_filters_apply()
    {
        await using var index = new IndexHarness(TestData.ClaudeSample);
        await index.SyncAsync();
        var all = await ReadAsync(index.Store, new UsageQuery());
        var totals = await IndexHarness.TotalsAsync(index.Store, CostMode.Calculate);

        Assert.Equal(totals.Calls, all.Count);
        Assert.Equal(totals.Cost, all.Sum(static r => r.Price!.CostUsd));
        Assert.Equal(all.OrderBy(static r => r.Timestamp).Select(static r => r.Key), all.Select(static r => r.Key));
        var sub = Assert.Single(all, static r => r.AgentId == "7d3f2a");
        Assert.Equal(("m:msg_01SubagentHaiku000001", "req_011CSubagentHaiku00001", true), (sub.Key, sub.RequestId, sub.IsSidechain));
        Assert.Equal(new TokenCounts(10, 300, 5000, 0, 0), sub.Tokens);
        Assert.EndsWith("agent-7d3f2a.jsonl", sub.SourceFile, StringComparison.Ordinal);
        Assert.Equal(2, sub.SourceLine);
        Assert.Equal(index.Catalog.Version, sub.Price!.CatalogVersion);

        var acme = await ReadAsync(index.Store, new UsageQuery { SessionId = Acme, Models = ["claude-sonnet-4-20250514"] });
        Assert.Equal(2, acme.Count);
        Assert.Empty(await ReadAsync(index.Store, new UsageQuery { Projects = [] }));
    }

    [Fact]
    public async Task The_store_answers_other_queries_while_records_are_being_read()
    {
        await using var index = new IndexHarness(TestData.ClaudeSample);
        await index.SyncAsync();
        var read = 0;
        await foreach (var record in index.Store.ReadRecordsAsync(new UsageQuery(), CancellationToken.None))
        {
            read++;
            Assert.NotEmpty(await index.Store.AggregateAsync(new UsageQuery { GroupBy = GroupBy.Session }, CancellationToken.None));
        }

        Assert.Equal(8, read);
    }

    private static async Task<List<UsageRecord>> ReadAsync(IUsageStore store, UsageQuery query)
    {
        var records = new List<UsageRecord>();
        await foreach (var record in store.ReadRecordsAsync(query, CancellationToken.None))
        {
            records.Add(record);
        }

        return records;
    }
}
