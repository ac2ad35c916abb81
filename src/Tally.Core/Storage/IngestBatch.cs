using Tally.Core.Limits;
using Tally.Core.Usage;

namespace Tally.Core.Storage;

/// <summary>
/// Records read from one file and the cursor that covers them: a store commits both in one transaction,
/// or neither.
/// </summary>
public sealed record IngestBatch
{
    /// <summary>The cursor the reader started from (null when it read the file from its start for the first time).
    /// The store refuses the batch when its stored cursor differs (another process moved it).</summary>
    public FileCursor? Expected { get; init; }

    /// <summary>The cursor after the records in this batch.</summary>
    public required FileCursor Next { get; init; }

    /// <summary>True when the file is being read again from its start (it was truncated or replaced):
    /// the file's earlier problems are cleared. Records are never removed.</summary>
    public bool Restart { get; init; }

    /// <summary>The records, priced.</summary>
    public required IReadOnlyList<UsageRecord> Records { get; init; }

    /// <summary>
    /// <see cref="Records"/> merged by call (<see cref="Sighting.BestOf"/>), when the reader merged them: a sync's
    /// readers do, on every core, so that its single writer does not. Null: the store merges the records itself.
    /// </summary>
    public IReadOnlyList<Sighting>? Sightings { get; init; }

    /// <summary>Lines that could not be counted.</summary>
    public required IReadOnlyList<IngestProblem> Problems { get; init; }

    /// <summary>Plan-limit signals found in the lines (limit-reached messages), recorded idempotently by key.</summary>
    public IReadOnlyList<ObservedSignal> Signals { get; init; } = [];
}
