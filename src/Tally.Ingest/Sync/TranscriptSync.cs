using System.Diagnostics;
using System.Threading.Channels;
using Tally.Core.Limits;
using Tally.Core.Pricing;
using Tally.Core.Storage;
using Tally.Ingest.ClaudeCode;

namespace Tally.Ingest.Sync;

/// <summary>
/// Brings the index up to date with the transcripts on disk: unchanged files cost one stat; changed files are read
/// from their cursor in parallel; one writer commits each batch with its cursor. Safe to run from several processes
/// at once and to kill at any point.
/// </summary>
public sealed class TranscriptSync
{
    private static readonly TimeSpan MaxCommitInterval = TimeSpan.FromSeconds(1);

    /// <summary>Batches read ahead of the writer, per reader: the writer's transaction spans many batches, so a short
    /// queue costs nothing, and keeps the records waiting in memory to a few thousand.</summary>
    private const int QueuedBatchesPerReader = 2;

    /// <summary>Up to this many files to read, their cursors are looked up one by one; beyond, every cursor is loaded.</summary>
    private const int CursorsLoadedOneByOne = 2048;

    private readonly IUsageStore _store;
    private readonly PriceCatalog _catalog;
    private readonly FileIngester _ingester;
    private readonly int _parallelism;
    private readonly int _recordsPerCommit;
    private readonly TimeProvider _clock;

    /// <summary>Creates a sync over a store, priced by a catalog, with projects resolved by a resolver.</summary>
    /// <param name="store">The index.</param>
    /// <param name="catalog">The prices records are stored with.</param>
    /// <param name="projects">Maps working directories to projects.</param>
    /// <param name="parallelism">Files read at once (default: one per core).</param>
    /// <param name="maxRecordsPerBatch">Records per batch a reader hands to the writer.</param>
    /// <param name="recordsPerCommit">Records (and problems) per transaction; a commit also happens every second.</param>
    /// <param name="limitZone">The zone a limit notice's clock time without a zone is read in (default: the system's,
    /// as Claude Code writes it in the local time of the machine it runs on).</param>
    /// <param name="clock">The wall clock a directory listing's time is read from (default: the system's; it must be the
    /// clock the file system stamps directories with, see <see cref="DirectoryListing.IsSettled"/>).</param>
    public TranscriptSync(IUsageStore store, PriceCatalog catalog, ProjectResolver projects, int? parallelism = null, int maxRecordsPerBatch = 1024, int recordsPerCommit = 50_000, TimeZoneInfo? limitZone = null, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        _store = store;
        _catalog = catalog;
        _ingester = new FileIngester(catalog, projects, maxRecordsPerBatch, limitZone);
        _recordsPerCommit = Math.Max(1, recordsPerCommit);
        _parallelism = Math.Max(1, parallelism ?? Environment.ProcessorCount);
    }

    /// <summary>
    /// Finds every transcript under the roots' <c>projects/</c> folders, listing only the directories whose entries
    /// changed since the listings the index kept, and keeps the listings taken (see
    /// <see cref="ClaudeDataLocator.Discover(IReadOnlyList{string}, IReadOnlyList{DirectoryListing}, TimeProvider)"/>).
    /// </summary>
    public async Task<Discovery> DiscoverAsync(IReadOnlyList<string> roots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var discovery = ClaudeDataLocator.Discover(roots, await _store.LoadListingsAsync(cancellationToken), _clock);
        await _store.SaveListingsAsync(discovery.Listed, discovery.Gone, cancellationToken);
        return discovery;
    }

    /// <summary>Syncs the given transcripts: every transcript there is (files the index knows that are not among them,
    /// and no longer exist, are marked missing).</summary>
    public Task<SyncReport> RunAsync(IReadOnlyList<TranscriptFile> files, IProgress<SyncProgress>? progress, CancellationToken cancellationToken) =>
        RunAsync(files, progress, wholeIndex: true, cancellationToken);

    /// <summary>Syncs only the given transcripts (say, the one a status-line render names), without looking at any
    /// other file the index knows, and without re-pricing older records after a price change (the next full sync does:
    /// records keep the catalog version they were priced with).</summary>
    public Task<SyncReport> RunOnlyAsync(IReadOnlyList<TranscriptFile> files, CancellationToken cancellationToken) =>
        RunAsync(files, null, wholeIndex: false, cancellationToken);

    private async Task<SyncReport> RunAsync(IReadOnlyList<TranscriptFile> files, IProgress<SyncProgress>? progress, bool wholeIndex, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var clock = Stopwatch.StartNew();
        var repriced = wholeIndex ? await _store.RepriceAsync(_catalog, cancellationToken) : 0;
        IReadOnlyDictionary<string, FileCursor> cursors;
        List<TranscriptFile> work;
        List<string> missing = [];
        if (wholeIndex)
        {
            // The store compares every file with its cursor without loading the cursors (a warm run's check); only the
            // cursors of the files to read are loaded, all at once when they are many (a first sync).
            var comparison = await _store.CompareFilesAsync([.. files.Select(static f => new FileState(f.Path, f.Size, f.ModifiedTicks))], cancellationToken);
            work = [.. comparison.Changed.Select(i => files[i])];
            missing = [.. comparison.Unseen.Where(static p => !File.Exists(p))];
            cursors = work.Count == 0 ? new Dictionary<string, FileCursor>()
                : work.Count > CursorsLoadedOneByOne ? await _store.LoadCursorsAsync(cancellationToken)
                : await _store.LoadCursorsAsync([.. work.Select(static f => f.Path)], cancellationToken);
        }
        else
        {
            cursors = await _store.LoadCursorsAsync([.. files.Select(static f => f.Path)], cancellationToken);
            work = [.. files.Where(f => !cursors.TryGetValue(f.Path, out var c) || c.Missing || c.Size != f.Size || c.ModifiedTicks != f.ModifiedTicks)];
        }

        if (missing.Count > 0)
        {
            await _store.MarkMissingAsync(missing, cancellationToken);
        }

        if (work.Count == 0)
        {
            // Nothing grew (a warm run, a status-line render): no readers, no writer, no write transaction.
            return new SyncReport { FilesSeen = files.Count, FilesMissing = missing.Count, Repriced = repriced, Elapsed = clock.Elapsed };
        }

        var total = work.Sum(f => Math.Max(0, f.Size - (cursors.TryGetValue(f.Path, out var c) && !c.Missing && c.Offset <= f.Size ? c.Offset : 0)));
        var channel = Channel.CreateBounded<IngestBatch>(new BoundedChannelOptions(QueuedBatchesPerReader * _parallelism) { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => ProduceAsync(work, cursors, channel.Writer, stop.Token), stop.Token);
        try
        {
            return await ConsumeAsync(channel.Reader, producer, files.Count, work.Count, missing.Count, repriced, total, progress, clock, cancellationToken);
        }
        catch
        {
            // A failed commit (or a crash test) stops the readers instead of leaving them blocked on a full channel.
            await stop.CancelAsync();
            try
            {
                await producer;
            }
            catch (OperationCanceledException)
            {
            }

            throw;
        }
    }

    private async Task<SyncReport> ConsumeAsync(ChannelReader<IngestBatch> batches, Task producer, int filesSeen, int filesRead, int filesMissing, int repriced, long total, IProgress<SyncProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        long bytes = 0, records = 0, problems = 0;
        int conflicts = 0;
        var restarted = new HashSet<string>(StringComparer.Ordinal);
        var conflicted = new HashSet<string>(StringComparer.Ordinal);
        // What the open transaction holds, as figures only: a batch's records are not kept alive after they are written.
        var uncommitted = new List<(string Path, bool Restart, long Bytes, int Records, int Problems, IReadOnlyList<ObservedSignal> Signals)>();
        var limitSignals = new List<ObservedSignal>();
        var pending = 0;
        var opened = Stopwatch.GetTimestamp();

        // One transaction per tens of thousands of records (or per second, so other readers see progress): random
        // B-tree pages touched by many records are written once per commit instead of once per file.
        await using (var transaction = await _store.BeginIngestAsync(cancellationToken))
        {
            await foreach (var batch in batches.ReadAllAsync(cancellationToken))
            {
                var path = batch.Next.Path;
                if (conflicted.Contains(path))
                {
                    continue;
                }

                if (!await transaction.ApplyAsync(batch, cancellationToken))
                {
                    conflicted.Add(path);
                    conflicts++;
                    continue;
                }

                uncommitted.Add((path, batch.Restart, batch.Next.Offset - (batch.Restart || batch.Expected is null ? 0 : batch.Expected.Offset), batch.Records.Count, batch.Problems.Count, batch.Signals));
                pending += batch.Records.Count + batch.Problems.Count + 1;
                if (pending >= _recordsPerCommit || Stopwatch.GetElapsedTime(opened) >= MaxCommitInterval)
                {
                    await transaction.CommitAsync(cancellationToken);
                    Account();
                }
            }

            await transaction.CommitAsync(cancellationToken);
            Account();
        }

        void Account()
        {
            foreach (var batch in uncommitted)
            {
                if (batch.Restart)
                {
                    restarted.Add(batch.Path);
                }

                bytes += batch.Bytes;
                records += batch.Records;
                problems += batch.Problems;
                limitSignals.AddRange(batch.Signals.Where(static s => s.Kind == SignalKind.LimitLine));
            }

            uncommitted.Clear();
            pending = 0;
            opened = Stopwatch.GetTimestamp();
            progress?.Report(new SyncProgress(Math.Min(bytes, total), total));
        }

        await producer;
        return new SyncReport
        {
            FilesSeen = filesSeen,
            FilesRead = filesRead,
            FilesRestarted = restarted.Count,
            FilesMissing = filesMissing,
            BytesRead = bytes,
            RecordsRead = records,
            Problems = problems,
            Conflicts = conflicts,
            Repriced = repriced,
            LimitSignals = limitSignals,
            Elapsed = clock.Elapsed,
        };
    }

    private async Task ProduceAsync(List<TranscriptFile> work, IReadOnlyDictionary<string, FileCursor> cursors, ChannelWriter<IngestBatch> writer, CancellationToken cancellationToken)
    {
        try
        {
            // Largest first, so one big file does not start last and leave a core idle at the end.
            var ordered = work.OrderByDescending(f => f.Size);
            await Parallel.ForEachAsync(ordered, new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken }, async (file, ct) =>
            {
                cursors.TryGetValue(file.Path, out var cursor);
                foreach (var batch in _ingester.Read(file, cursor, ct))
                {
                    await writer.WriteAsync(batch, ct);
                }
            });
            writer.Complete();
        }
        catch (Exception ex)
        {
            writer.Complete(ex);
            throw;
        }
    }
}
