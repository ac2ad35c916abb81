namespace Tally.Core.Storage;

/// <summary>
/// A write transaction over the index. Batches applied in it become durable and visible together with their file
/// cursors when it commits, or not at all: a crash, a cancellation or disposing it without committing loses exactly
/// the uncommitted batches, which the next sync reads again.
/// </summary>
public interface IIngestTransaction : IAsyncDisposable
{
    /// <summary>
    /// Upserts the batch's records (one record per key; a better sighting of a call replaces a worse one), stores its
    /// problems and advances the file's cursor. Returns false, changing nothing, when the file's cursor (as this
    /// transaction sees it) is no longer <see cref="IngestBatch.Expected"/>: another process read the file first.
    /// </summary>
    ValueTask<bool> ApplyAsync(IngestBatch batch, CancellationToken cancellationToken);

    /// <summary>Commits what was applied so far; the transaction stays open for more batches.</summary>
    ValueTask CommitAsync(CancellationToken cancellationToken);
}
