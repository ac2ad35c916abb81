using Tally.Core.Billing;
using Tally.Storage.Sqlite;

namespace Tally.Admin.Tests;

/// <summary>A fake Admin API, a real SQLite index in a temporary folder, a fixed clock, and waits recorded instead of slept.</summary>
internal sealed class SyncWorld : IAsyncDisposable
{
    /// <summary>"Now": 2026-11-20 12:30 UTC.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 30, 0, TimeSpan.Zero);

    private readonly TempDirectory _temp = new();

    private SyncWorld(FakeAdminApi api)
    {
        Api = api;
        Store = SqliteUsageStore.Open(Path.Combine(_temp.Path, "index.db"));
    }

    public FakeAdminApi Api { get; }

    public SqliteUsageStore Store { get; }

    public TestClock Clock { get; } = new(Now);

    /// <summary>Every wait the client asked for, in order.</summary>
    public List<TimeSpan> Waits { get; } = [];

    public static async Task<SyncWorld> StartAsync() => new(await FakeAdminApi.StartAsync());

    public AdminApiSettings Settings(string key = FakeAdminApi.Key) => new()
    {
        BaseUrl = Api.BaseUrl,
        Key = key,
        Timeout = TimeSpan.FromSeconds(30),
        Delay = (wait, _) =>
        {
            Waits.Add(wait);
            return Task.CompletedTask;
        },
        Jitter = static () => 0.5,
    };

    /// <summary>Runs one sync of [since, until] (UTC days).</summary>
    public async Task<AdminSyncResult> SyncAsync(DateOnly? since = null, DateOnly? until = null, bool check = true, AdminApiSettings? settings = null)
    {
        using var client = new AdminApiClient(settings ?? Settings());
        return await new AdminSync(Store, new AdminReports(client), Clock).RunAsync(new AdminSyncRequest { Since = since, Until = until, Check = check }, CancellationToken.None);
    }

    public async Task<decimal> StoredCostAsync() =>
        (await Store.BilledCostsAsync(DateOnly.MinValue, DateOnly.MaxValue, CancellationToken.None)).Sum(static r => r.AmountUsd);

    public async Task<IReadOnlyList<BilledUsageRow>> StoredUsageAsync() =>
        await Store.BilledUsageAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue.AddYears(-1), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await Api.DisposeAsync();
        _temp.Dispose();
    }
}
