using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tally.Core.Pricing;
using Tally.Ingest.ClaudeCode;
using Tally.Ingest.Sync;
using Tally.Storage.Sqlite;

namespace Tally.Server.Live;

/// <summary>
/// Keeps the index in sync while the server runs: the transcripts a file watcher reports are synced within moments, and
/// a full sync runs on a timer (and whenever the watcher lost events) as a safety net. One sync at a time; a failure is
/// logged and the next change or tick tries again. The index is written through a connection of its own, so readers
/// of the API never wait behind a sync's transaction.
/// </summary>
internal sealed partial class TranscriptIndexer(SyncSources sources, PriceCatalog catalog, ServerOptions options, ILogger<TranscriptIndexer> logger) : BackgroundService
{
    private readonly SemaphoreSlim _one = new(1, 1);
    private SqliteUsageStore? _store;
    private int _disposed;

    /// <summary>Discovers every transcript and syncs the ones that changed (what <c>POST /api/costs/rescan</c> runs).</summary>
    public async Task<SyncReport> SyncAllAsync(CancellationToken cancellationToken)
    {
        await _one.WaitAsync(cancellationToken);
        try
        {
            var sync = Sync();
            var discovery = await sync.DiscoverAsync(sources.Roots, cancellationToken);
            return await sync.RunAsync(discovery.Files, null, cancellationToken);
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>Syncs only <paramref name="paths"/> (files that are gone are left to the next full sync).</summary>
    public async Task<SyncReport> SyncFilesAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        await _one.WaitAsync(cancellationToken);
        try
        {
            var files = new List<TranscriptFile>();
            foreach (var path in paths)
            {
                var info = new FileInfo(path);
                if (info.Exists)
                {
                    files.Add(new TranscriptFile(info.FullName, info.Length, info.LastWriteTimeUtc.Ticks));
                }
            }

            return await Sync().RunAsync(files, null, cancellationToken);
        }
        finally
        {
            _one.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>Scheduling runs on the real clock (the injected clock says what "now" is for the data, and a test's fixed
    /// clock must not stop the safety sync).</remarks>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The watcher starts before the first sync, so nothing written while that sync runs is missed.
        var watcher = Watch();
        try
        {
            var nextFull = DateTimeOffset.UtcNow;
            while (!stoppingToken.IsCancellationRequested)
            {
                if (DateTimeOffset.UtcNow >= nextFull)
                {
                    await RunAsync(null, stoppingToken);
                    nextFull = DateTimeOffset.UtcNow + options.SafetySyncInterval;
                    if (watcher.Watching < ProjectFolders().Count(Directory.Exists))
                    {
                        // A projects/ folder appeared since the watcher started: watch it too (the full sync just read it).
                        watcher.Dispose();
                        watcher = Watch();
                    }
                }

                var changed = await watcher.WaitAsync(Max(nextFull - DateTimeOffset.UtcNow, TimeSpan.Zero), stoppingToken);
                if (changed is null)
                {
                    nextFull = DateTimeOffset.UtcNow; // events were lost: a full sync finds what they said
                }
                else
                {
                    await RunAsync(changed, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            watcher.Dispose();
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <inheritdoc />
    /// <remarks>A sync still running (a rescan request the host stopped waiting for) holds the store: it is closed only
    /// once that sync has let go of it, or left open to the process's end if it never does within a minute.</remarks>
    public override void Dispose()
    {
        base.Dispose();
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return; // registered twice (as itself and as a hosted service), so disposed twice
        }

        if (!_one.Wait(TimeSpan.FromMinutes(1)))
        {
            return;
        }

        _store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store = null;
        _one.Dispose();
    }

    private async Task RunAsync(IReadOnlyList<string>? changed, CancellationToken stoppingToken)
    {
        if (changed is { Count: 0 })
        {
            return;
        }

        try
        {
            var report = changed is null ? await SyncAllAsync(stoppingToken) : await SyncFilesAsync(changed, stoppingToken);
            if (report.RecordsRead > 0 || report.Problems > 0)
            {
                Synced(logger, report.FilesRead, report.RecordsRead, report.Problems);
            }

            if (sources.AfterSync is { } after && (changed is null || report.RecordsRead > 0 || report.LimitSignals.Count > 0))
            {
                await CheckAsync(after, report, stoppingToken);
            }
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            SyncFailed(logger, ex.Message);
        }
    }

    /// <summary>The budget check after a sync: whatever it fails with is logged, and the server goes on.</summary>
    private async Task CheckAsync(Func<SyncReport, CancellationToken, Task> after, SyncReport report, CancellationToken stoppingToken)
    {
        try
        {
            await after(report, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            CheckFailed(logger, ex);
        }
    }

    private TranscriptSync Sync()
    {
        _store ??= SqliteUsageStore.Open(sources.IndexFile);
        return new TranscriptSync(_store, catalog, sources.Resolver);
    }

    private TranscriptWatcher Watch() => new(ProjectFolders());

    private IEnumerable<string> ProjectFolders() => sources.Roots.Select(static r => Path.GetFullPath(Path.Combine(r, "projects")));

    [LoggerMessage(Level = LogLevel.Information, Message = "Synced {Files} transcript(s): {Records} record(s), {Problems} problem line(s)")]
    private static partial void Synced(ILogger logger, int files, long records, long problems);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sync failed and will be retried on the next change: {Reason}")]
    private static partial void SyncFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The budget check after a sync failed; the next sync runs it again")]
    private static partial void CheckFailed(ILogger logger, Exception exception);
}
