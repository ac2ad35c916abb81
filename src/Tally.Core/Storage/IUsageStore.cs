using Tally.Core.Limits;
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
    /// Opens a write transaction for a sync's batches. Large transactions are cheaper (B-tree pages that many records
    /// touch are written once), so a sync commits every few tens of thousands of records or every second.
    /// </summary>
    Task<IIngestTransaction> BeginIngestAsync(CancellationToken cancellationToken);

    /// <summary>Marks files as gone (their records stay).</summary>
    Task MarkMissingAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken);

    /// <summary>Sums records by the query's grouping.</summary>
    Task<IReadOnlyList<AggregateRow>> AggregateAsync(UsageQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Visits every record the query's filters (time, models, projects, session) select, oldest first, each as a row of
    /// its own (<see cref="AggregateRow.Calls"/> = 1, <see cref="AggregateRow.FirstSeen"/> = <see cref="AggregateRow.LastSeen"/>
    /// = its time, <see cref="AggregateRow.Model"/> and <see cref="AggregateRow.Bucket"/> set); the grouping is ignored.
    /// For the few computations that need each call's exact time. <paramref name="visit"/> must not use the store.
    /// </summary>
    Task ScanRecordsAsync(UsageQuery query, Action<AggregateRow> visit, CancellationToken cancellationToken);

    /// <summary>
    /// Records plan-limit signals. Idempotent by <see cref="ObservedSignal.Key"/>: a signal recorded again only widens
    /// its first and last observation times.
    /// </summary>
    Task RecordSignalsAsync(IReadOnlyCollection<ObservedSignal> signals, CancellationToken cancellationToken);

    /// <summary>The signals last observed at or after <paramref name="since"/>, oldest first.</summary>
    Task<IReadOnlyList<ObservedSignal>> SignalsAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>The distinct model ids indexed, with whether the catalog priced them.</summary>
    Task<IReadOnlyList<(string Model, bool Unpriced)>> ModelsAsync(CancellationToken cancellationToken);

    /// <summary>How many source lines could not be counted (what <see cref="ProblemsAsync"/> would list).</summary>
    Task<long> CountProblemsAsync(CancellationToken cancellationToken);

    /// <summary>The problems found in source lines, by file and line.</summary>
    Task<IReadOnlyList<IngestProblem>> ProblemsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Re-prices every record whose stored catalog version differs from <paramref name="catalog"/>'s.
    /// Returns the number of records whose cost changed.
    /// </summary>
    Task<int> RepriceAsync(PriceCatalog catalog, CancellationToken cancellationToken);
}
