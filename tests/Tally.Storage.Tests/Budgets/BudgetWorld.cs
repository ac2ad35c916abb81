using Tally.Core.Alerts;
using Tally.Core.Budgets;
using Tally.Core.Pricing;
using Tally.Core.Storage;
using Tally.Core.Usage;
using Tally.Storage.Sqlite;

namespace Tally.Storage.Tests.Budgets;

/// <summary>A real SQLite index in a temporary folder, a settable clock, and calls of exact dollar amounts.</summary>
public sealed class BudgetWorld : IAsyncDisposable
{
    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private readonly TempDirectory _dir = new();

    public BudgetWorld(DateTimeOffset now)
    {
        Clock = new TestClock(now);
        DbPath = Path.Combine(_dir.Path, "index.db");
        Store = SqliteUsageStore.Open(DbPath);
    }

    public TestClock Clock { get; }

    public string DbPath { get; }

    public SqliteUsageStore Store { get; }

    public BudgetSettings Settings { get; set; } = new() { Zone = Berlin };

    /// <summary>Adds one Claude Haiku 4.5 call of <paramref name="dollars"/> (input at $1 per million tokens) to <paramref name="store"/>.</summary>
    public static async Task AddAsync(IUsageStore store, DateTimeOffset at, decimal dollars, string session = "s1", string project = "/p/app", string? cwd = null)
    {
        var tokens = new TokenCounts((long)(dollars * 1_000_000m), 0, 0, 0, 0);
        var record = new UsageRecord
        {
            Key = "m:msg_" + Guid.NewGuid().ToString("N"),
            Timestamp = at,
            SessionId = session,
            Project = project,
            Cwd = cwd ?? project,
            Model = "claude-haiku-4-5",
            Tokens = tokens,
            ContentHash = (ulong)Random.Shared.NextInt64(),
        };
        var priced = record with { Price = PriceCatalog.Embedded.Price(record.ToPricingRequest()) };
        Assert.Equal(dollars, priced.Price!.CostUsd);
        await using var ingest = await store.BeginIngestAsync(CancellationToken.None);
        var cursor = new FileCursor { Path = "test://" + record.Key, Size = 1, Offset = 1, Lines = 1 };
        Assert.True(await ingest.ApplyAsync(new IngestBatch { Next = cursor, Records = [priced], Problems = [] }, CancellationToken.None));
        await ingest.CommitAsync(CancellationToken.None);
    }

    public Task AddAsync(DateTimeOffset at, decimal dollars, string session = "s1", string project = "/p/app", string? cwd = null) =>
        AddAsync(Store, at, dollars, session, project, cwd);

    /// <summary>A monitor over <paramref name="store"/> (this world's by default) delivering to <paramref name="channels"/>.</summary>
    public BudgetMonitor Monitor(IUsageStore? store = null, bool rateLimits = true, params IAlertChannel[] channels) =>
        new(store ?? Store, Clock, Settings, new AlertDispatcher(store ?? Store, channels, Clock), rateLimits);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>A clock that says what it is told.</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>A channel that keeps what it was given.</summary>
public sealed class RecordingChannel(string name = "recording") : IAlertChannel
{
    private readonly List<Alert> _alerts = [];

    public string Name => name;

    public IReadOnlyList<Alert> Alerts
    {
        get
        {
            lock (_alerts)
            {
                return [.. _alerts];
            }
        }
    }

    public Task<AlertDelivery> DeliverAsync(Alert alert, CancellationToken cancellationToken)
    {
        lock (_alerts)
        {
            _alerts.Add(alert);
        }

        return Task.FromResult(new AlertDelivery(Name, DeliveryOutcome.Sent, 1, null, alert.RaisedAt));
    }
}
