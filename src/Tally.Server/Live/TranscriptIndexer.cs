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
/// of the API never wait behind a sync's transaction. With <see cref="SyncSources.FreshnessSocket"/>, it also answers
/// commands that ask whether the index is current (see <see cref="VouchAsync"/>), which spares them walking every
/// transcript.
/// </summary>
internal sealed partial class TranscriptIndexer(SyncSources sources, PriceCatalog catalog, ServerOptions options, ILogger<TranscriptIndexer> logger) : BackgroundService
{
    /// <summary>How long a question waits for a sync in progress before the answer is "busy".</summary>
    private static readonly TimeSpan VouchPatience = TimeSpan.FromSeconds(20);

    private readonly SemaphoreSlim _one = new(1, 1);
    private SqliteUsageStore? _store;
    private int _disposed;

    // Guarded by _one.
    private TranscriptWatcher? _watcher;
    private bool _needsFull = true;
    private bool _vouching;

    /// <summary>Discovers every transcript and syncs the ones that changed (what <c>POST /api/costs/rescan</c> runs).</summary>
    public async Task<SyncReport> SyncAllAsync(CancellationToken cancellationToken)
    {
        await _one.WaitAsync(cancellationToken);
        try
        {
            return await FullAsync(cancellationToken);
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>
    /// A command's question: is the index current? Yes only when the watcher is exact (inotify read by hand, every
    /// folder watched, nothing lost since the last full sync); the transcripts it reported since the last sync, with
    /// every event the kernel queued before the question, are synced first. So every write completed before the
    /// question was asked is in the index when the answer is yes.
    /// </summary>
    public async Task<FreshnessAnswer> VouchAsync(FreshnessRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.Equals(Path.GetFullPath(request.IndexFile), Path.GetFullPath(sources.IndexFile), StringComparison.Ordinal))
        {
            return FreshnessAnswer.Stale("this watcher keeps another index");
        }

        if (!request.Folders.Order(StringComparer.Ordinal).SequenceEqual(ProjectFolders().Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            return FreshnessAnswer.Stale("this watcher watches other folders");
        }

        if (!await _one.WaitAsync(VouchPatience, cancellationToken))
        {
            return FreshnessAnswer.Stale("a long sync is running");
        }

        try
        {
            var report = await CatchUpAsync(full: false, cancellationToken);
            return !_vouching ? FreshnessAnswer.Stale(_watcher is null ? "the watcher has not started" : "the watcher cannot see every change (see the server's log)")
                : new FreshnessAnswer(true, null) { FilesRead = report?.FilesRead ?? 0, RecordsRead = report?.RecordsRead ?? 0, Problems = report?.Problems ?? 0 };
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
        var watcher = new TranscriptWatcher(ProjectFolders());
        await _one.WaitAsync(stoppingToken);
        _watcher = watcher;
        _one.Release();
        if (watcher.Unwatched.Count > 0)
        {
            Unwatched(logger, string.Join("; ", watcher.Unwatched));
        }

        var listener = Listen();
        try
        {
            var nextFull = DateTimeOffset.UtcNow;
            var changed = false;
            while (!stoppingToken.IsCancellationRequested)
            {
                var full = DateTimeOffset.UtcNow >= nextFull;
                if (full || changed)
                {
                    await RunAsync(full, stoppingToken);
                }

                if (full)
                {
                    nextFull = DateTimeOffset.UtcNow + options.SafetySyncInterval;
                }

                changed = await watcher.WaitForChangesAsync(Max(nextFull - DateTimeOffset.UtcNow, TimeSpan.Zero), stoppingToken);
                if (!changed && watcher.Unwatched.Count > 0)
                {
                    nextFull = DateTimeOffset.UtcNow; // a folder that cannot be watched is polled by a full sync
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (listener is not null)
            {
                await listener.DisposeAsync();
            }

            await _one.WaitAsync(CancellationToken.None);
            _watcher = null;
            _vouching = false;
            _one.Release();
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

    private FreshnessListener? Listen()
    {
        if (sources.FreshnessSocket is not { } path)
        {
            return null;
        }

        var listener = FreshnessListener.TryStart(path, VouchAsync, out var failure);
        if (listener is null)
        {
            NotListening(logger, failure ?? "unknown");
        }

        return listener;
    }

    private async Task RunAsync(bool full, CancellationToken stoppingToken)
    {
        await _one.WaitAsync(stoppingToken);
        try
        {
            await CatchUpAsync(full, stoppingToken);
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>
    /// Under <see cref="_one"/>: renews the watch if it no longer covers the folders, takes the watcher's changes, and
    /// syncs them (or everything, when <paramref name="full"/>, after lost events, or after a failed sync). Returns what
    /// the sync did (null when there was nothing to do or it failed, which is logged).
    /// </summary>
    private async Task<SyncReport?> CatchUpAsync(bool full, CancellationToken stoppingToken)
    {
        if (_watcher is not { } watcher)
        {
            return null;
        }

        if (watcher.NeedsRenewal)
        {
            watcher.Renew();
        }

        var changed = watcher.TakeChanges();
        SyncReport? report = null;
        try
        {
            if (full || _needsFull || changed is null)
            {
                // The safety sync alone does not stop the vouching (no question is answered while it runs: it holds
                // the lock); lost events or a failed sync do, until this full sync is done.
                _vouching &= !_needsFull && changed is not null;
                _needsFull = true;
                report = await FullAsync(stoppingToken);
                _needsFull = false;
            }
            else if (changed.Count > 0)
            {
                report = await FilesAsync(changed, stoppingToken);
            }
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            // The changes taken are not in the index: only a full sync can be sure to find them again.
            _needsFull = true;
            _vouching = false;
            SyncFailed(logger, ex.Message);
            return null;
        }

        var was = _vouching;
        _vouching = watcher.Exact;
        if (_vouching && !was && sources.FreshnessSocket is not null)
        {
            Vouching(logger);
        }

        if (report is null)
        {
            return null;
        }

        if (report.RecordsRead > 0 || report.Problems > 0)
        {
            Synced(logger, report.FilesRead, report.RecordsRead, report.Problems);
        }

        if (sources.AfterSync is { } after && (changed is null || full || report.RecordsRead > 0 || report.LimitSignals.Count > 0))
        {
            await CheckAsync(after, report, stoppingToken);
        }

        return report;
    }

    private async Task<SyncReport> FullAsync(CancellationToken cancellationToken)
    {
        var sync = Sync();
        var discovery = await sync.DiscoverAsync(sources.Roots, cancellationToken);
        return await sync.RunAsync(discovery.Files, null, cancellationToken);
    }

    /// <summary>Syncs only <paramref name="paths"/> (files that are gone are left to the next full sync).</summary>
    private Task<SyncReport> FilesAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken) =>
        Sync().RunOnlyAsync(TranscriptFile.Existing(paths), cancellationToken);

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

    private IEnumerable<string> ProjectFolders() => sources.Roots.Select(static r => Path.GetFullPath(Path.Combine(r, "projects")));

    [LoggerMessage(Level = LogLevel.Information, Message = "Synced {Files} transcript(s): {Records} record(s), {Problems} problem line(s)")]
    private static partial void Synced(ILogger logger, int files, long records, long problems);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sync failed and will be retried on the next change: {Reason}")]
    private static partial void SyncFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Some transcript folders cannot be watched, so they are re-read every few seconds and commands walk every transcript themselves: {Reasons}")]
    private static partial void Unwatched(ILogger logger, string reasons);

    [LoggerMessage(Level = LogLevel.Information, Message = "The index is current and watched: commands ask this server instead of checking every transcript")]
    private static partial void Vouching(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Commands will walk the transcripts themselves: the index's freshness socket is not served ({Reason})")]
    private static partial void NotListening(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The budget check after a sync failed; the next sync runs it again")]
    private static partial void CheckFailed(ILogger logger, Exception exception);
}
