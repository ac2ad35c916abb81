using Tally.Core.Storage;
using Tally.Core.Usage;
using Tally.Storage.Sqlite;

namespace Tally.Storage.Tests;

/// <summary>Grouping by tool, the source and execution-mode filters, and the change stamp, on a real index.</summary>
public class ToolsSourcesAndStampTests
{
    [Fact]
    public async Task Tool_rows_hold_every_call_that_asked_for_the_tool_and_calls_without_tools_keep_a_null_row()
    {
        await using var index = new IndexHarness(TestData.ClaudeSample);
        await index.SyncAsync();
        var records = new List<UsageRecord>();
        await foreach (var record in index.Store.ReadRecordsAsync(new UsageQuery(), CancellationToken.None))
        {
            records.Add(record);
        }

        var rows = await index.Store.AggregateAsync(new UsageQuery { GroupBy = GroupBy.Tool, CostMode = CostMode.Calculate }, CancellationToken.None);

        var expected = records.SelectMany(static r => r.Tools.Count == 0 ? [(string?)null] : r.Tools.Select(static t => (string?)t).ToArray(), static (r, t) => (Tool: t, Record: r))
            .GroupBy(static p => p.Tool)
            .ToDictionary(static g => g.Key ?? "(none)", static g => (Calls: (long)g.Count(), Cost: g.Sum(static p => p.Record.Price!.CostUsd), Output: g.Sum(static p => p.Record.Tokens.Output)));
        Assert.True(expected.Count > 1, "the sample has calls with tools");
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), rows.Select(static r => r.Tool ?? "(none)").Order(StringComparer.Ordinal));
        foreach (var row in rows)
        {
            Assert.Equal(expected[row.Tool ?? "(none)"], (row.Calls, row.CostUsd, row.Tokens.Output));
        }
    }

    [Fact]
    public async Task Tool_grouping_combines_with_other_dimensions_and_filters()
    {
        await using var index = new IndexHarness(TestData.ClaudeSample);
        await index.SyncAsync();
        var models = await index.Store.ModelsAsync(CancellationToken.None);
        var model = models[0].Model;

        var byTool = await index.Store.AggregateAsync(new UsageQuery { GroupBy = GroupBy.Tool | GroupBy.Model, Models = [model] }, CancellationToken.None);
        var plain = await index.Store.AggregateAsync(new UsageQuery { GroupBy = GroupBy.Tool, Models = [model] }, CancellationToken.None);

        Assert.All(byTool, row => Assert.Equal(model, row.Model));
        Assert.Equal(plain.Sum(static r => r.Calls), byTool.Sum(static r => r.Calls));
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(new[] { UsageSource.ClaudeCode }, null, true)]
    [InlineData(new[] { UsageSource.Internal, UsageSource.ClaudeCode }, ExecutionMode.Cloud, true)]
    [InlineData(new[] { UsageSource.Internal }, null, false)]
    [InlineData(new[] { UsageSource.Proxy }, null, false)]
    [InlineData(new UsageSource[0], null, false)]
    [InlineData(null, ExecutionMode.Local, false)]
    public async Task Source_and_execution_mode_filters_select_the_transcript_records_or_none(UsageSource[]? sources, ExecutionMode? mode, bool selects)
    {
        await using var index = new IndexHarness(TestData.ClaudeSample);
        await index.SyncAsync();
        var query = new UsageQuery { Sources = sources, ExecutionMode = mode };
        var all = await IndexHarness.TotalsAsync(index.Store);

        var rows = await index.Store.AggregateAsync(query with { GroupBy = GroupBy.Model }, CancellationToken.None);
        var agents = await index.Store.AgentActivityAsync(query, CancellationToken.None);
        var records = 0;
        await foreach (var unused in index.Store.ReadRecordsAsync(query, CancellationToken.None))
        {
            records++;
        }

        Assert.Equal(selects ? all.Calls : 0, rows.Sum(static r => r.Calls));
        Assert.Equal(selects ? all.Calls : 0, records);
        Assert.Equal(selects, agents.Count > 0);
    }

    [Fact]
    public async Task The_change_stamp_moves_when_another_store_commits_and_not_for_this_stores_own_reads()
    {
        await using var index = new IndexHarness(TestData.ClaudeSample);
        await using var writer = SqliteUsageStore.Open(index.DbPath);
        var before = await index.Store.ChangeStampAsync(CancellationToken.None);
        await index.Store.AggregateAsync(new UsageQuery { GroupBy = GroupBy.Model }, CancellationToken.None);
        Assert.Equal(before, await index.Store.ChangeStampAsync(CancellationToken.None));

        await index.SyncAsync(writer, index.ClaudeDir);

        var after = await index.Store.ChangeStampAsync(CancellationToken.None);
        Assert.NotEqual(before, after);
        await index.Store.AggregateAsync(new UsageQuery { GroupBy = GroupBy.Model }, CancellationToken.None);
        Assert.Equal(after, await index.Store.ChangeStampAsync(CancellationToken.None));

        // A sync that finds nothing new commits nothing: a live view is not woken for nothing.
        await index.SyncAsync(writer, index.ClaudeDir);
        Assert.Equal(after, await index.Store.ChangeStampAsync(CancellationToken.None));
    }
}
