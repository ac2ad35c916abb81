using Tally.Core.Pricing;
using Tally.Core.Usage;

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

    /// <summary>Sums records by the query's grouping (every filter of the query applies to each record).</summary>
    Task<IReadOnlyList<AggregateRow>> AggregateAsync(UsageQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Sums the records of each session's agents (the session's own and each subagent) by working directory, branch,
    /// project and model, with each session's first call ever. Records without a session are left out. The query's
    /// time range, models, projects, session and cost mode apply; its grouping is ignored.
    /// </summary>
    Task<IReadOnlyList<AgentActivityRow>> AgentActivityAsync(UsageQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Every record the query's filters select (time range, models, projects, session; grouping and cost mode are
    /// ignored), oldest first, read lazily from a forward-only cursor: memory does not grow with the number of records.
    /// The store stays usable while the enumeration runs (it reads through a connection of its own, one consistent
    /// snapshot). The records carry their price (without the catalog model, which is not stored).
    /// </summary>
    IAsyncEnumerable<UsageRecord> ReadRecordsAsync(UsageQuery query, CancellationToken cancellationToken);

    /// <summary>The distinct model ids indexed, with whether the catalog priced them.</summary>
    Task<IReadOnlyList<(string Model, bool Unpriced)>> ModelsAsync(CancellationToken cancellationToken);

    /// <summary>How many source lines could not be counted (what <see cref="ProblemsAsync"/> would list).</summary>
    Task<long> CountProblemsAsync(CancellationToken cancellationToken);

    /// <summary>The problems found in source lines, by file and line.</summary>
    Task<IReadOnlyList<IngestProblem>> ProblemsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A number that changes whenever something other than this store object (another process, or another store on the
    /// same index) has committed a change to the index since the last call: a cheap probe for a live view.
    /// </summary>
    Task<long> ChangeStampAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Re-prices every record whose stored catalog version differs from <paramref name="catalog"/>'s.
    /// Returns the number of records whose cost changed.
    /// </summary>
    Task<int> RepriceAsync(PriceCatalog catalog, CancellationToken cancellationToken);
}
