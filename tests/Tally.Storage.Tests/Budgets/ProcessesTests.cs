using Tally.Core.Budgets;
using Tally.Storage.Sqlite;

namespace Tally.Storage.Tests.Budgets;

/// <summary>Several processes evaluate the same budgets against one index file: each alert still goes out once.</summary>
public class ProcessesTests
{
    private static readonly DateTimeOffset Noon = new(2026, 10, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly Budget Daily = new() { Name = "daily", Scope = BudgetScope.Day, Period = BudgetPeriod.Day, Limit = 10m };
    private static readonly Budget PerSession = new() { Name = "per-session", Scope = BudgetScope.Session, Period = BudgetPeriod.Total, Limit = 4m };

    [Fact]
    public async Task Two_stores_on_one_file_checking_at_once_deliver_each_alert_once()
    {
        await using var world = new BudgetWorld(Noon);
        await using var other = SqliteUsageStore.Open(world.DbPath);
        var first = new RecordingChannel();
        var second = new RecordingChannel();
        var a = world.Monitor(world.Store, channels: first);
        var b = world.Monitor(other, channels: second);

        for (var step = 0; step < 4; step++)
        {
            // Each step adds usage through one store and both check at once, several times.
            await BudgetWorld.AddAsync(step % 2 == 0 ? world.Store : other, Noon.AddHours(-5), 2.75m, session: "s" + (step % 2));
            var checks = Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? a : b).CheckAsync([Daily, PerSession], CancellationToken.None));
            await Task.WhenAll(checks);
        }

        await a.DrainAsync();
        await b.DrainAsync();

        // $11 in all: the day crossed 50%, 80% and 100% (some at once); the sessions $5.50 each crossed 100%.
        var delivered = first.Alerts.Concat(second.Alerts).ToList();
        Assert.Equal(delivered.Count, delivered.Select(static x => x.Key).Distinct().Count());
        var history = await other.AlertsAsync(null, null, CancellationToken.None);
        Assert.Equal(history.Count, history.Select(static x => x.Key).Distinct().Count());
        Assert.Equal(
            history.Where(static x => x.Suppressed is null).Select(static x => x.Key).Order(StringComparer.Ordinal),
            delivered.Select(static x => x.Key).Order(StringComparer.Ordinal));
        Assert.Contains(history, static x => x.Budget!.Name == "daily" && x.Threshold == 100m && x.Suppressed is null);
        Assert.Equal(2, history.Count(static x => x.Budget!.Name == "per-session" && x.Threshold == 100m));
    }

    [Fact]
    public async Task An_alert_raised_by_one_store_is_not_raised_again_by_another()
    {
        await using var world = new BudgetWorld(Noon);
        await world.AddAsync(Noon.AddHours(-3), 6m);
        var first = new RecordingChannel();
        Assert.Single((await world.Monitor(channels: first).CheckAsync([Daily], CancellationToken.None)).Raised);

        await using var other = SqliteUsageStore.Open(world.DbPath);
        var second = new RecordingChannel();
        var monitor = world.Monitor(other, channels: second);
        Assert.Empty((await monitor.CheckAsync([Daily], CancellationToken.None)).Raised);
        await monitor.DrainAsync();
        Assert.Empty(second.Alerts);
        Assert.Single(first.Alerts);
    }
}
