using Tally.Core.Limits;

namespace Tally.Ingest.Sync;

/// <summary>What one sync did.</summary>
public sealed record SyncReport
{
    /// <summary>Transcripts found.</summary>
    public int FilesSeen { get; init; }

    /// <summary>Transcripts that had new bytes and were read.</summary>
    public int FilesRead { get; init; }

    /// <summary>Transcripts read again from their start because they shrank or were replaced.</summary>
    public int FilesRestarted { get; init; }

    /// <summary>Transcripts gone since the last sync (their records are kept).</summary>
    public int FilesMissing { get; init; }

    /// <summary>Bytes read.</summary>
    public long BytesRead { get; init; }

    /// <summary>Usage lines read (before de-duplication).</summary>
    public long RecordsRead { get; init; }

    /// <summary>Lines that could not be counted in this sync.</summary>
    public long Problems { get; init; }

    /// <summary>Batches another process had already committed.</summary>
    public int Conflicts { get; init; }

    /// <summary>Records re-priced because the price catalog changed.</summary>
    public int Repriced { get; init; }

    /// <summary>The "limit reached" lines this sync committed (a line read again after a file was replaced is here
    /// again: what they raise must be idempotent by the signal's key or its reset).</summary>
    public IReadOnlyList<ObservedSignal> LimitSignals { get; init; } = [];

    /// <summary>True when a running watcher vouched for the index instead of this sync walking the transcripts (the
    /// counts of files are then the watcher's: what it read to catch up).</summary>
    public bool Vouched { get; init; }

    /// <summary>How long it took.</summary>
    public TimeSpan Elapsed { get; init; }
}
