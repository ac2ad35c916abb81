using Tally.Cli.App;
using Tally.Ingest.ClaudeCode;
using Tally.Ingest.Sync;

namespace Tally.Cli.Live;

/// <summary>
/// The live monitor's loop: one full sync at start, then a file watcher hands over the transcripts that grew and only
/// those are synced (a full sync again only when the watcher lost events). Each sync is followed by the rate-limit
/// alerts and the budget check, then a new frame. Between changes the last frame is shown again on a slow tick (for
/// the countdowns) without touching the index, so an idle monitor costs next to nothing.
/// </summary>
/// <param name="run">The run: index, sync, data roots and clock.</param>
/// <param name="budgets">The budgets and alert channels the syncs are checked with.</param>
/// <param name="builder">Builds frames from the index.</param>
/// <param name="tick">How often the last frame is shown again with nothing new.</param>
internal sealed class LiveMonitor(TallyRun run, BudgetRuntime budgets, LiveFrameBuilder builder, TimeSpan tick)
{
    /// <summary>How long the watcher waits after a change for more (a streamed reply writes several lines).</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>
    /// Syncs (unless <paramref name="initialSync"/> is false) and builds one frame: the one-shot print.
    /// </summary>
    public async Task<LiveFrame> OnceAsync(bool initialSync, CancellationToken cancellationToken)
    {
        var sync = initialSync ? await FullSyncAsync(null, cancellationToken) : null;
        return await builder.BuildAsync(sync, cancellationToken);
    }

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled, handing every frame to <paramref name="show"/>
    /// with the moment to draw it at: a new frame after each sync, the same frame again on each quiet tick.
    /// Ends by throwing <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task RunAsync(bool initialSync, Action<LiveFrame, DateTimeOffset> show, IProgress<Ingest.Sync.SyncProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(show);
        var clock = run.Environment.Clock;

        // Watch first, then sync: a line written between the two is read by the sync or handed over by the watcher.
        var folders = run.Roots.Select(static r => Path.GetFullPath(Path.Combine(r, "projects"))).ToList();
        var watcher = new TranscriptWatcher(folders, Settle);
        try
        {
            var sync = initialSync ? await FullSyncAsync(progress, cancellationToken) : null;
            var frame = await builder.BuildAsync(sync, cancellationToken);
            show(frame, clock.GetUtcNow());
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var changed = await watcher.WaitAsync(tick, cancellationToken);
                if (changed is { Count: 0 })
                {
                    if (watcher.Watching == folders.Count(Directory.Exists))
                    {
                        show(frame, clock.GetUtcNow());
                        continue;
                    }

                    // A projects/ folder that appeared since (Claude Code's first run): watch it too, and read it whole.
                    watcher.Dispose();
                    watcher = new TranscriptWatcher(folders, Settle);
                    changed = null;
                }

                sync = changed is { Count: > 0 } paths ? await ChangedSyncAsync(paths, cancellationToken) : await FullSyncAsync(null, cancellationToken);
                frame = await builder.BuildAsync(sync, cancellationToken);
                show(frame, clock.GetUtcNow());
            }
        }
        finally
        {
            watcher.Dispose();
        }
    }

    private async Task<LiveSync> FullSyncAsync(IProgress<Ingest.Sync.SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var discovery = await run.Syncer.DiscoverAsync(run.Roots, cancellationToken);
        var report = await run.Syncer.RunAsync(discovery.Files, progress, cancellationToken);
        return await AfterAsync(report, full: true, cancellationToken);
    }

    private async Task<LiveSync> ChangedSyncAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var report = await run.Syncer.RunOnlyAsync(TranscriptFile.Existing(paths), cancellationToken);
        return await AfterAsync(report, full: false, cancellationToken);
    }

    private async Task<LiveSync> AfterAsync(SyncReport report, bool full, CancellationToken cancellationToken)
    {
        await TallyRun.AfterSyncAsync(report, budgets, run.Environment.Clock, cancellationToken);
        return new LiveSync(run.Environment.Clock.GetUtcNow(), full, report.FilesRead, report.RecordsRead);
    }
}
