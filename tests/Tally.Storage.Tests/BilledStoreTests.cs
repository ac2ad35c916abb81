using Tally.Core.Billing;
using Tally.Core.Usage;
using Tally.Storage.Sqlite;

namespace Tally.Storage.Tests;

/// <summary>The Admin API tables: one grain, replaced window by window, all or nothing.</summary>
public sealed class BilledStoreTests
{
    private static readonly DateTimeOffset Hour = new(2026, 11, 18, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day = new(2026, 11, 18);

    [Fact]
    public async Task Resync_ReplacesTheWindow_KeepingNullDimensionsApart()
    {
        using var temp = new TempDirectory();
        await using var store = SqliteUsageStore.Open(Path.Combine(temp.Path, "index.db"));
        await store.StoreBilledAsync(Batch(Usage(null, null, 10), Usage("wrkspc_a", "apikey_a", 5), Cost(null, "1.5"), Cost("wrkspc_a", "0.0000001")), CancellationToken.None);
        await store.StoreBilledAsync(Batch(Usage(null, null, 10), Usage("wrkspc_a", "apikey_a", 7), Cost(null, "1.5"), Cost("wrkspc_a", "0.0000001")), CancellationToken.None);

        var usage = await store.BilledUsageAsync(Hour, Hour.AddHours(1), CancellationToken.None);
        Assert.Equal([(null, null, 10L), ("wrkspc_a", "apikey_a", 7L)], usage.Select(static r => (r.WorkspaceId, r.ApiKeyId, r.Tokens.Input)));
        var costs = await store.BilledCostsAsync(Day, Day.AddDays(1), CancellationToken.None);
        Assert.Equal(1.5000001m, costs.Sum(static c => c.AmountUsd));

        // A row the API no longer returns for the window goes.
        await store.StoreBilledAsync(Batch(Usage(null, null, 10), Cost(null, "1.5")), CancellationToken.None);
        Assert.Single(await store.BilledUsageAsync(Hour, Hour.AddHours(1), CancellationToken.None));
        Assert.Single(await store.BilledCostsAsync(Day, Day.AddDays(1), CancellationToken.None));
    }

    [Fact]
    public async Task CrashBeforeCommit_LeavesEarlierDataIntact()
    {
        using var temp = new TempDirectory();
        await using var store = SqliteUsageStore.Open(Path.Combine(temp.Path, "index.db"));
        await store.StoreBilledAsync(Batch(Usage(null, "apikey_a", 10), Cost(null, "2")), CancellationToken.None);
        store.BeforeBilledCommit = static () => throw new IOException("crash");

        await Assert.ThrowsAsync<IOException>(() => store.StoreBilledAsync(Batch(Usage(null, "apikey_a", 99), Cost(null, "99")), CancellationToken.None));

        store.BeforeBilledCommit = null;
        Assert.Equal(10, Assert.Single(await store.BilledUsageAsync(Hour, Hour.AddHours(1), CancellationToken.None)).Tokens.Input);
        Assert.Equal(2m, Assert.Single(await store.BilledCostsAsync(Day, Day.AddDays(1), CancellationToken.None)).AmountUsd);
        Assert.Equal(Hour.AddHours(1), await store.BilledCompleteUntilAsync("usage", CancellationToken.None));
    }

    [Fact]
    public async Task CompleteMark_OnlyMovesForward()
    {
        using var temp = new TempDirectory();
        await using var store = SqliteUsageStore.Open(Path.Combine(temp.Path, "index.db"));
        await store.StoreBilledAsync(Batch(), CancellationToken.None);
        await store.StoreBilledAsync(new BilledBatch { CompleteUntil = new Dictionary<string, DateTimeOffset> { ["usage"] = Hour.AddDays(-300) } }, CancellationToken.None);

        Assert.Equal(Hour.AddHours(1), await store.BilledCompleteUntilAsync("usage", CancellationToken.None));
        Assert.Null(await store.BilledCompleteUntilAsync("cost", CancellationToken.None));
    }

    private static BilledUsageRow Usage(string? workspace, string? key, long input) =>
        new() { Bucket = Hour, Model = "claude-opus-4-6", WorkspaceId = workspace, ApiKeyId = key, Tokens = new TokenCounts(input, 1, 0, 0, 0) };

    private static BilledCostRow Cost(string? workspace, string dollars) =>
        new() { Day = Day, WorkspaceId = workspace, Description = "Claude Opus 4.6 Usage - Input Tokens", AmountUsd = decimal.Parse(dollars, System.Globalization.CultureInfo.InvariantCulture) };

    private static BilledBatch Batch(params object[] rows) => new()
    {
        UsageWindow = (Hour, Hour.AddHours(1)),
        Usage = [.. rows.OfType<BilledUsageRow>()],
        CostWindow = (Day, Day.AddDays(1)),
        Costs = [.. rows.OfType<BilledCostRow>()],
        CompleteUntil = new Dictionary<string, DateTimeOffset> { ["usage"] = Hour.AddHours(1) },
    };
}
