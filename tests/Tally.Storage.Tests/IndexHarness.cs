using Tally.Core.Pricing;
using Tally.Core.Storage;
using Tally.Ingest.ClaudeCode;
using Tally.Ingest.Sync;
using Tally.Storage.Sqlite;

namespace Tally.Storage.Tests;

/// <summary>A Claude data directory and a real SQLite index file, both fresh for one test.</summary>
public sealed class IndexHarness : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();

    public IndexHarness(string? copyFrom = null)
    {
        ClaudeDir = Path.Combine(_dir.Path, "claude");
        Directory.CreateDirectory(Path.Combine(ClaudeDir, "projects"));
        if (copyFrom is not null)
        {
            CopyDirectory(copyFrom, ClaudeDir);
        }

        DbPath = Path.Combine(_dir.Path, "index", "tally.db");
        Store = SqliteUsageStore.Open(DbPath);
    }

    public string ClaudeDir { get; }

    public string DbPath { get; }

    public SqliteUsageStore Store { get; }

    public PriceCatalog Catalog { get; set; } = PriceCatalog.Embedded;

    /// <summary>The zone limit notices' clock times are read in.</summary>
    public TimeZoneInfo LimitZone { get; set; } = TimeZoneInfo.Utc;

    public string Root => _dir.Path;

    public string ProjectFile(string relative) => Path.Combine(ClaudeDir, "projects", relative);

    public Task<SyncReport> SyncAsync(int maxRecordsPerBatch = 4096, int parallelism = 2) => SyncAsync(Store, ClaudeDir, maxRecordsPerBatch, parallelism);

    /// <summary>The wall clock directory listings are timed with: the system's, unless a test moves it on so that the
    /// directories it just wrote count as settled (see <see cref="DirectoryListing.IsSettled"/>).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>What the last sync's search found (and how many directories it listed).</summary>
    public Discovery? LastDiscovery { get; private set; }

    /// <summary>Searches <paramref name="claudeDir"/> as a command does (listing only directories that changed since the
    /// listings the index kept) and syncs what it found.</summary>
    public async Task<SyncReport> SyncAsync(IUsageStore store, string claudeDir, int maxRecordsPerBatch = 4096, int parallelism = 2)
    {
        // Commit as often as batches are cut, so a killed run leaves partial, committed progress behind.
        var sync = new TranscriptSync(store, Catalog, new ProjectResolver(), parallelism, maxRecordsPerBatch, recordsPerCommit: maxRecordsPerBatch, limitZone: LimitZone, clock: Clock);
        LastDiscovery = await sync.DiscoverAsync([claudeDir], CancellationToken.None);
        return await sync.RunAsync(LastDiscovery.Files, null, CancellationToken.None);
    }

    public static async Task<Totals> TotalsAsync(IUsageStore store, CostMode mode = CostMode.Calculate)
    {
        var rows = await store.AggregateAsync(new UsageQuery { GroupBy = GroupBy.Session | GroupBy.Model | GroupBy.Agent, CostMode = mode }, CancellationToken.None);
        return new Totals(rows);
    }

    public static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>Totals of an index, comparable with another index's.</summary>
public sealed record Totals(IReadOnlyList<AggregateRow> Rows)
{
    public long Calls => Rows.Sum(r => r.Calls);

    public decimal Cost => Rows.Sum(r => r.CostUsd);

    public long Input => Rows.Sum(r => r.Tokens.Input);

    public long Output => Rows.Sum(r => r.Tokens.Output);

    public long CacheWrite5m => Rows.Sum(r => r.Tokens.CacheWrite5m);

    public long CacheWrite1h => Rows.Sum(r => r.Tokens.CacheWrite1h);

    public long CacheRead => Rows.Sum(r => r.Tokens.CacheRead);

    /// <summary>A stable text form of every group, for exact comparison.</summary>
    public string Fingerprint => string.Join('\n', Rows
        .Select(r => $"{r.SessionId}|{r.Model}|{r.AgentId}|{r.Calls}|{r.Tokens}|{r.CostUsd}|{r.FirstSeen:o}|{r.LastSeen:o}")
        .Order(StringComparer.Ordinal));
}
