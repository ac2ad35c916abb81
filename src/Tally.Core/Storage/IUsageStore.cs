using Tally.Core.Pricing;

namespace Tally.Core.Storage;

/// <summary>
/// The index of usage records. Every write is idempotent: committing the same records again, in any order,
/// from any number of processes, leaves the same totals. SQLite implements it for one machine; a server
/// database can implement it for a team without changing callers.
/// </summary>
public interface IUsageStore : IAsyncDisposable
{
    /// <summary>Every file cursor the index holds, by path.</summary>
    Task<IReadOnlyDictionary<string, FileCursor>> LoadCursorsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Upserts the batch's records (one record per key; a better sighting of a call replaces a worse one),
    /// stores its problems and advances the file's cursor, all in one transaction.
    /// Returns false, changing nothing, when the stored cursor is no longer <see cref="IngestBatch.Expected"/>.
    /// </summary>
    Task<bool> CommitAsync(IngestBatch batch, CancellationToken cancellationToken);

    /// <summary>Marks files as gone (their records stay).</summary>
    Task MarkMissingAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken);

    /// <summary>Sums records by the query's grouping.</summary>
    Task<IReadOnlyList<AggregateRow>> AggregateAsync(UsageQuery query, CancellationToken cancellationToken);

    /// <summary>The distinct model ids indexed, with whether the catalog priced them.</summary>
    Task<IReadOnlyList<(string Model, bool Unpriced)>> ModelsAsync(CancellationToken cancellationToken);

    /// <summary>The problems found in source lines, by file and line.</summary>
    Task<IReadOnlyList<IngestProblem>> ProblemsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Re-prices every record whose stored catalog version differs from <paramref name="catalog"/>'s.
    /// Returns the number of records whose cost changed.
    /// </summary>
    Task<int> RepriceAsync(PriceCatalog catalog, CancellationToken cancellationToken);
}
